package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * The im2col view of a {@link Conv} node's input, for calibration: the rows a conv weight's
 * {@code [C_out, C_in*K]} matrix view multiplies. Calibration methods that need exact per-column
 * statistics of a conv (Wanda's / RIA's {@code ||X_j||}, SparseGPT's {@code X^T X}) read it.
 *
 * <p>It runs the node's own conv kernel (same padding resolution, stride and dilation) with a
 * one-hot filter bank of {@code C_in*K} output channels, filter {@code c*K + e} picking channel
 * {@code c} at kernel element {@code e} (row-major over the kernel), so each value is copied by
 * the engine, not recomputed: column {@code c*K + e} of the result is what weight column {@code
 * (c, e)} of the {@code [C_out, C_in, k...]} layout multiplies.
 */
public final class ConvProbe {
  private ConvProbe() {}

  /**
   * The im2col matrix {@code [batch * outputPositions, C_in*K]} of input {@code x} {@code [batch,
   * C_in, spatial...]} of {@code node}, in {@code x}'s manager (owned by the caller).
   *
   * @throws IllegalArgumentException naming the node if it is not a conv, is grouped (its output
   *     rows read different channels) or {@code x} does not fit
   */
  public static NDArray im2col(Node node, NDArray x) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(x, "x");
    if (!(node.op() instanceof Conv c)) {
      throw new IllegalArgumentException("node '" + node.name() + "' is " + node.op().type() + ", not conv");
    }
    if (c.groups() != 1) {
      throw new IllegalArgumentException("node '" + node.name() + "': im2col of a grouped conv (groups=" + c.groups()
          + ") has no single column layout; only groups = 1 is supported");
    }
    long[] xs = x.getShape().getShape();
    if (xs.length != c.spatialDims() + 2 || xs[1] != c.inChannels()) {
      throw new IllegalArgumentException("node '" + node.name() + "': input " + x.getShape() + " does not fit "
          + c.inChannels() + " channels and " + c.spatialDims() + " spatial dims");
    }
    int k = 1;
    for (int v : c.kernel()) {
      k *= v;
    }
    int cols = c.inChannels() * k;
    int[] dims = new int[c.spatialDims() + 2];
    dims[0] = cols;
    dims[1] = c.inChannels();
    System.arraycopy(c.kernel(), 0, dims, 2, c.spatialDims());
    float[] eye = new float[cols * cols];
    for (int col = 0; col < cols; col++) {
      eye[col * cols + col] = 1f; // filter col, channel col / k, element col % k
    }
    Conv pick = new Conv(c.spatialDims(), c.inChannels(), cols, c.kernel(), c.stride(), c.padding(), c.dilation(), 1,
        false);
    Node probe = new Node(node.name(), pick, node.inputs(), Map.of("weight", new Tensor(new Shape(dims), eye)));
    NDManager parent = x.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray w = TensorConversions.toDjl(scope, probe.param("weight").value());
      scope.tempAttachAll(x);
      NDArray y = WindowKernels.conv(probe, pick, x, p -> w); // [batch, cols, out spatial...]
      int[] axes = new int[y.getShape().dimension()];
      axes[0] = 0;
      for (int i = 2; i < axes.length; i++) {
        axes[i - 1] = i;
      }
      axes[axes.length - 1] = 1;
      NDArray rows = y.transpose(axes).reshape(-1, cols);
      rows.attach(parent);
      return rows;
    }
  }
}
