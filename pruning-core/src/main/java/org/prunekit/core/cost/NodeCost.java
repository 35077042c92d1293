package org.prunekit.core.cost;

import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * The cost of one graph node at one input shape. All byte figures assume float32 (4 bytes per
 * element); see {@code docs/accounting.md} for the rules behind every field.
 *
 * @param node the node's name
 * @param opType the op's type name ({@code "linear"}, {@code "conv"}, ...)
 * @param outputShape the node's output shape, batch first
 * @param macs dense multiply-accumulates implied by the shapes
 * @param effectiveMacs multiply-accumulates left when every zero (or masked-out) weight is skipped
 * @param elementOps non-MAC element operations (activations, normalisations, pooling, bias adds,
 *     element-wise sums and products, softmax, RoPE); the same in both views
 * @param params dense parameter count
 * @param nonZeroParams parameters whose value is non-zero and whose mask (if any) keeps them
 * @param bytesRead dense bytes read: all parameters plus all input activations
 * @param bytesWritten bytes of the output activation written
 * @param effectiveBytesRead bytes read when only non-zero parameter elements are fetched (index
 *     overhead not included, see {@code sparseIndexBytes})
 * @param sparseIndexBytes a separate estimate of sparse-format index traffic: 4 bytes per non-zero
 *     element read from a parameter that holds at least one zero; 0 for fully dense parameters
 */
public record NodeCost(
    String node,
    String opType,
    Shape outputShape,
    long macs,
    long effectiveMacs,
    long elementOps,
    long params,
    long nonZeroParams,
    long bytesRead,
    long bytesWritten,
    long effectiveBytesRead,
    long sparseIndexBytes) {

  /** Validates the figures: non-negative, effective never above dense. */
  public NodeCost {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(opType, "opType");
    Objects.requireNonNull(outputShape, "outputShape");
    nonNegative(node, "macs", macs);
    nonNegative(node, "effectiveMacs", effectiveMacs);
    nonNegative(node, "elementOps", elementOps);
    nonNegative(node, "params", params);
    nonNegative(node, "nonZeroParams", nonZeroParams);
    nonNegative(node, "bytesRead", bytesRead);
    nonNegative(node, "bytesWritten", bytesWritten);
    nonNegative(node, "effectiveBytesRead", effectiveBytesRead);
    nonNegative(node, "sparseIndexBytes", sparseIndexBytes);
    if (effectiveMacs > macs) {
      throw new IllegalArgumentException(
          "node '" + node + "': effective MACs " + effectiveMacs + " exceed dense MACs " + macs);
    }
    if (nonZeroParams > params) {
      throw new IllegalArgumentException(
          "node '" + node + "': non-zero parameters " + nonZeroParams + " exceed parameters " + params);
    }
    if (effectiveBytesRead > bytesRead) {
      throw new IllegalArgumentException(
          "node '" + node + "': effective bytes read " + effectiveBytesRead + " exceed dense " + bytesRead);
    }
  }

  private static void nonNegative(String node, String field, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("node '" + node + "': " + field + " is negative (" + v + ")");
    }
  }

  /** Dense bytes moved: {@code bytesRead + bytesWritten}. */
  public long bytesAccessed() {
    return bytesRead + bytesWritten;
  }

  /** Effective bytes moved: {@code effectiveBytesRead + bytesWritten}. */
  public long effectiveBytesAccessed() {
    return effectiveBytesRead + bytesWritten;
  }
}
