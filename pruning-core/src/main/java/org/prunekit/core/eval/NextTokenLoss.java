package org.prunekit.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Mean next-token NLL of a language model graph over token windows: the graph maps token ids
 * {@code [batch, seq]} to logits {@code [batch, seq, vocab]}; the loss is {@code -log_softmax(logits)
 * [target]} averaged over every position of every window (log-softmax on the engine, the sum in
 * double).
 *
 * <pre>{@code
 * try (GraphExecutor ex = GraphExecutor.create(checkpoint.graph())) {
 *   LossResult r = NextTokenLoss.evaluate(ex, TokenWindows.nonOverlapping(corpus.validation(), 128), 64);
 * }
 * }</pre>
 */
public final class NextTokenLoss {
  private NextTokenLoss() {}

  /**
   * Evaluates every window, {@code batchSize} windows per forward pass.
   *
   * @throws IllegalArgumentException if {@code batchSize < 1}, the graph does not have one input and
   *     one output, the logits are not {@code [batch, seq, vocab]}, or a target id is outside the
   *     vocabulary, or a logit is not finite
   */
  public static LossResult evaluate(GraphExecutor executor, TokenWindows windows, int batchSize) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(windows, "windows");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (executor.graph().inputs().size() != 1 || executor.graph().outputs().size() != 1) {
      throw new IllegalArgumentException("next-token loss needs a graph with one input and one output");
    }
    int seq = windows.seqLen();
    double sum = 0;
    long count = 0;
    for (int from = 0; from < windows.size(); from += batchSize) {
      int to = Math.min(windows.size(), from + batchSize);
      int b = to - from;
      try (NDManager m = executor.manager().newSubManager()) {
        NDArray in = TensorConversions.toDjl(m, windows.inputs(from, to));
        NDList out = executor.forward(new NDList(in), List.of());
        NDArray logits = out.singletonOrThrow();
        long[] s = logits.getShape().getShape();
        if (s.length != 3 || s[0] != b || s[1] != seq) {
          throw new IllegalArgumentException("graph output '" + executor.graph().outputs().get(0)
              + "' has shape " + logits.getShape() + "; next-token loss needs logits [" + b + ", " + seq + ", vocab]");
        }
        int vocab = Math.toIntExact(s[2]);
        float[] lp = logits.logSoftmax(2).toFloatArray();
        for (int w = 0; w < b; w++) {
          int[] t = windows.targets(from + w);
          for (int p = 0; p < seq; p++) {
            if (t[p] < 0 || t[p] >= vocab) {
              throw new IllegalArgumentException("target id " + t[p] + " of window " + (from + w) + " position " + p
                  + " is outside the vocabulary of " + vocab);
            }
            float v = lp[(w * seq + p) * vocab + t[p]];
            if (!Float.isFinite(v)) {
              throw new IllegalArgumentException("log-probability of window " + (from + w) + " position " + p
                  + " is " + v);
            }
            sum -= v;
            count++;
          }
        }
      }
    }
    return new LossResult(sum / count, count, windows.size());
  }
}
