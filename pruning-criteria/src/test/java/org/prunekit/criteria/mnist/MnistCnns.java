package org.prunekit.criteria.mnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.io.onnx.OnnxImporter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.calibration.BlockPartition;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialPruner;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.sparsegpt.SparseGptReconstructor;

/**
 * The two ONNX MNIST CNNs of the shared directory, MNIST (raw 0..255 pixels), and the pruning
 * recipe of docs/llm.md "MNIST CNNs": every conv and linear weight, layer-sequential calibration
 * on 128 training images (seed 0), each criterion's reference scope.
 */
final class MnistCnns {
  static final Path SHARED = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
  static final Path MNIST = SHARED.resolve("mnist");
  static final Path MNIST8 = SHARED.resolve("models/mnist-8-onnx/mnist-8.onnx");
  static final Path TRIBUO = SHARED.resolve("models/lenet-mnist-tribuo-onnx/pytorch_cnn_mnist.onnx");

  private static IdxDataset train;
  private static IdxDataset test;

  private MnistCnns() {}

  static boolean available(Path model) {
    return Files.isRegularFile(model) && Files.isDirectory(MNIST);
  }

  static Graph load(Path model) {
    try {
      return OnnxImporter.load(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized IdxDataset test() {
    if (test == null) {
      test = loadSplit("t10k");
    }
    return test;
  }

  static synchronized IdxDataset train() {
    if (train == null) {
      train = loadSplit("train");
    }
    return train;
  }

  private static IdxDataset loadSplit(String prefix) {
    try {
      return IdxDataset.loadDir(MNIST, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code count} training images chosen with {@code seed}, each {@code [1, 28, 28]}, raw pixels. */
  static CalibrationSet calibration(int count, long seed) {
    IdxDataset t = train();
    return CalibrationSet.select(t.size(), count, seed, i -> t.batch(i, i + 1).reshape(t.sampleShape()),
        "MNIST training images (raw 0..255)");
  }

  /** Top-1 accuracy in percent over the first {@code n} test images. */
  static double accuracy(Graph g, int n) {
    IdxDataset data = test().subset(0, n);
    int correct = 0;
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      for (IdxDataset.Batch b : data.batches(1000)) {
        Tensor out = ex.predict(b.images());
        int classes = out.shape().get(1);
        float[] d = out.data();
        for (int i = 0; i < b.size(); i++) {
          int best = 0;
          for (int k = 1; k < classes; k++) {
            if (d[i * classes + k] > d[i * classes + best]) {
              best = k;
            }
          }
          correct += best == b.labels()[i] ? 1 : 0;
        }
      }
    }
    return 100.0 * correct / n;
  }

  /** The conv and linear nodes whose weight view {@code [out, in*k]} has a width M divides. */
  static List<String> layers(Graph g, int groupM) {
    List<String> out = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (n.op() instanceof Conv || n.op() instanceof Linear) {
        Parameter w = n.param("weight");
        if ((w.numel() / w.shape().get(0)) % groupM == 0) {
          out.add(n.name());
        }
      }
    }
    return out;
  }

  /** Input width of a layer's {@code [out, in*k]} weight view. */
  static long width(Graph g, String node) {
    Parameter w = g.node(node).param("weight");
    return w.numel() / w.shape().get(0);
  }

  /**
   * Prunes {@code layers} of {@code g}: 50 % unstructured ({@code nm == null}, each criterion's
   * default scope: magnitude/RIA/SparseGPT per layer, Wanda per row) or N:M. Layer-sequential
   * calibration ({@link BlockPartition#perWeightedLayer}); SparseGPT through {@link
   * SparseGptReconstructor}.
   */
  static SequentialResult prune(Graph g, List<String> layers, String criterion, NmPattern nm, CalibrationSet cal) {
    Set<String> nodes = new LinkedHashSet<>(layers);
    PruningSpec.Builder sb = PruningSpec.builder().setCriterion(criterion).optTargets(new Targets(nodes, Set.of()));
    if (nm != null) {
      sb.optPattern(nm);
    } else {
      sb.setSparsity(0.5);
    }
    SequentialPruner.Builder pb = SequentialPruner.builder().setSpec(sb.build())
        .setPartition(BlockPartition.perWeightedLayer(g)).optCalibration(cal).optBatchSize(128);
    if (criterion.equals("sparsegpt")) {
      pb.optReconstructor(SparseGptReconstructor.defaults());
    }
    return pb.build().prune(g);
  }
}
