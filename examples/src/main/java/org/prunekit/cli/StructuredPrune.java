package org.prunekit.cli;

import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.io.SavedModel;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.structured.CalibrationBatch;
import org.prunekit.criteria.structured.GroupImportances;
import org.prunekit.criteria.structured.Ranking;
import org.prunekit.criteria.structured.StructuredCalibration;
import org.prunekit.criteria.structured.StructuredPruning;
import org.prunekit.criteria.structured.StructuredResult;
import org.prunekit.criteria.structured.StructuredSpec;

/** The structural branch of {@code prunekit prune}: a new, physically smaller model. */
final class StructuredPrune {
  private StructuredPrune() {}

  /** Target settings as the user gave them. */
  record Target(Double channels, Double params, Double macs, int roundTo, String ranking, List<String> leaveAlone) {}

  static StructuredSpec spec(String importance, Target t) {
    int given = (t.channels() != null ? 1 : 0) + (t.params() != null ? 1 : 0) + (t.macs() != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("--structured needs exactly one of --channels, --params, --macs (got " + given + ")");
    }
    StructuredSpec.Builder b = StructuredSpec.builder().setImportance(GroupImportances.byName(importance));
    if (t.channels() != null) {
      b.setChannelRatio(t.channels());
    } else if (t.params() != null) {
      b.setParamBudget(t.params());
    } else {
      b.setMacBudget(t.macs());
    }
    b.optRoundTo(t.roundTo());
    b.optRanking(parseRanking(t.ranking()));
    if (!t.leaveAlone().isEmpty()) {
      b.optLeaveAlone(t.leaveAlone().toArray(new String[0]));
    }
    return b.build();
  }

  /** Gradients for importances that need them, from the first {@code samples} images of {@code data}. */
  static StructuredCalibration calibration(StructuredSpec spec, SavedModel m, Path data, String prefix, int samples)
      throws IOException {
    if (!spec.importance().requiresGradients()) {
      return StructuredCalibration.none();
    }
    if (data == null) {
      throw new IllegalArgumentException("importance '" + spec.importance().name()
          + "' needs calibration gradients: give --data DIR with IDX images and labels");
    }
    IdxDataset d = IdxDataset.loadDir(data, prefix);
    float scale = ModelFiles.inputScale(m.provenance());
    if (scale != 1f) {
      d = d.scaled(scale);
    }
    int n = Math.min(samples, d.size());
    if (n < 1) {
      throw new IllegalArgumentException("--calibration must be at least 1, got " + samples);
    }
    List<CalibrationBatch> batches = new ArrayList<>();
    for (int from = 0; from < n; from += 64) {
      int to = Math.min(from + 64, n);
      int[] labels = d.labels(from, to);
      float[] l = new float[labels.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = labels[i];
      }
      batches.add(CalibrationBatch.of(d.batch(from, to), new Tensor(new Shape(l.length), l)));
    }
    return StructuredCalibration.fromBatches(m.graph(), Loss.softmaxCrossEntropyLoss(), batches);
  }

  static StructuredResult run(SavedModel m, StructuredSpec spec, StructuredCalibration cal) {
    return StructuredPruning.prune(m.graph(), spec, cal);
  }

  /** The report map for {@code --report}: the structured report plus provenance. */
  static Map<String, Object> report(StructuredResult r, Map<String, Object> provenance) {
    Map<String, Object> root = new LinkedHashMap<>(r.report().toMap());
    root.put("explain", r.report().explain());
    root.put("provenance", provenance);
    return root;
  }

  private static Ranking parseRanking(String s) {
    for (Ranking r : Ranking.values()) {
      if (r.name().equalsIgnoreCase(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown --ranking '" + s + "'; use local or global");
  }

}
