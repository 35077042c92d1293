package org.prunekit.criteria.calibration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.ActivationStatistics;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.io.CalibrationHash;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.activation.InputNorms;

/**
 * One-pass ("dense") calibration for activation-aware criteria on any graph of Linear and Conv
 * layers: runs the calibration batches through the unpruned graph once with an {@link
 * ActivationStatistics} hook and turns the streamed per-column sums of squares into {@link
 * ScoringInputs}. Memory is one {@code double} per input column of each target layer; activations
 * are never stored.
 *
 * <p>Conv layers get per-input-channel statistics expanded over each channel's kernel elements
 * ({@link InputNorms#expandChannels}); exact im2col norms differ only by border and stride effects
 * (see {@code docs/criteria.md}). Grouped convolutions are rejected by that expansion. For the
 * layer-by-layer procedure of the Wanda paper on block-structured models use {@link
 * SequentialPruner}.
 */
public final class ActivationCalibration {
  private ActivationCalibration() {}

  /** The statistics and a record of what produced them. */
  public record Result(ScoringInputs inputs, int samples, String sha256) {}

  /**
   * Runs {@code batches} (each a tensor with the graph's single input shape, batch first) through
   * {@code graph} and returns the column norms of every target parameter.
   *
   * @throws IllegalArgumentException if there is no sample (empty calibration), the graph does not
   *     have exactly one input, or a target is neither Linear nor Conv
   */
  public static Result collect(Graph graph, Targets targets, List<Tensor> batches) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(targets, "targets");
    if (batches == null || batches.isEmpty()) {
      throw new IllegalArgumentException("empty calibration: no batches given");
    }
    if (graph.inputs().size() != 1) {
      throw new IllegalArgumentException("one-pass calibration needs a single-input graph, got " + graph.inputs());
    }
    List<Parameter> params = targets.resolve(graph);
    for (Parameter p : params) {
      Object op = graph.node(p.nodeName()).op();
      if (!(op instanceof Linear) && !(op instanceof Conv)) {
        throw new IllegalArgumentException("calibration target '" + p.qualifiedName() + "' is a "
            + graph.node(p.nodeName()).op().type() + "; one-pass calibration covers linear and conv weights");
      }
    }
    ActivationStatistics stats = new ActivationStatistics(ActivationStatistics.linearAndConv());
    CalibrationHash hash = new CalibrationHash();
    int samples = 0;
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      for (Tensor b : batches) {
        hash.update(b);
        samples += b.shape().get(0);
        try (var in = new ai.djl.ndarray.NDList(
                org.prunekit.core.tensor.TensorConversions.toDjl(ex.manager(), b))) {
          ex.forward(in, List.of(stats)).close();
        }
      }
    }
    if (samples == 0) {
      throw new IllegalArgumentException("empty calibration: the batches hold 0 samples");
    }
    Map<String, double[]> norms = new HashMap<>();
    for (Parameter p : params) {
      String node = p.nodeName();
      double[] sums = InputNorms.fromSumSquares(p.qualifiedName(), stats.sumSquares(node), stats.tokens(node));
      if (graph.node(node).op() instanceof Conv) {
        sums = InputNorms.expandChannels(p.qualifiedName(), sums, p.shape());
      }
      norms.put(p.qualifiedName(), sums);
    }
    return new Result(ScoringInputs.ofNorms(norms), samples, hash.hex());
  }
}
