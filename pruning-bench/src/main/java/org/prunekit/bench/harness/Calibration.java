package org.prunekit.bench.harness;

import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.calibration.ActivationCalibration;
import org.prunekit.criteria.structured.CalibrationBatch;
import org.prunekit.criteria.structured.StructuredCalibration;

/**
 * Calibration samples for criteria that need them: the first {@code calibrationSamples} images of
 * the {@code calibrationPrefix} IDX set in the sweep's data directory, scaled per model.
 */
final class Calibration {
  private static final int BATCH = 64;
  private final IdxDataset data;

  private Calibration(IdxDataset data) {
    this.data = data;
  }

  /**
   * Loads calibration data if any method needs it.
   *
   * @throws IllegalArgumentException if a method needs it and the sweep has no data directory
   */
  static Calibration forSweep(SweepSpec spec, List<Method> methods) throws IOException {
    Method needy = methods.stream().filter(m -> m.needsActivations() || m.needsGradients()).findFirst().orElse(null);
    if (needy == null) {
      return new Calibration(null);
    }
    if (spec.data() == null) {
      throw new IllegalArgumentException("'" + needy.name() + "' needs calibration samples: give a data directory with "
          + spec.calibrationPrefix() + "-images-idx3-ubyte[.gz] and labels");
    }
    IdxDataset d = IdxDataset.loadDir(spec.data(), spec.calibrationPrefix());
    return new Calibration(d.subset(0, Math.min(spec.calibrationSamples(), d.size())));
  }

  /** Squared input-column norms of {@code graph}'s targets on the calibration images. */
  ScoringInputs activations(Graph graph, Targets targets, ModelSource.Loaded model) {
    List<Tensor> batches = new ArrayList<>();
    IdxDataset d = scaled(model);
    for (int from = 0; from < d.size(); from += BATCH) {
      batches.add(d.batch(from, Math.min(from + BATCH, d.size())));
    }
    return ActivationCalibration.collect(graph, targets, batches).inputs();
  }

  /** Cross-entropy gradients of {@code graph} on the calibration images and labels. */
  StructuredCalibration gradients(Graph graph, ModelSource.Loaded model) {
    IdxDataset d = scaled(model);
    List<CalibrationBatch> batches = new ArrayList<>();
    for (int from = 0; from < d.size(); from += BATCH) {
      int to = Math.min(from + BATCH, d.size());
      int[] labels = d.labels(from, to);
      float[] l = new float[labels.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = labels[i];
      }
      batches.add(CalibrationBatch.of(d.batch(from, to), new Tensor(new Shape(l.length), l)));
    }
    return StructuredCalibration.fromBatches(graph, Loss.softmaxCrossEntropyLoss(), batches);
  }

  private IdxDataset scaled(ModelSource.Loaded model) {
    if (data == null) {
      throw new IllegalStateException("no calibration data loaded");
    }
    return model.inputScale() == 1f ? data : data.scaled(model.inputScale());
  }
}
