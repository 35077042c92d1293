package org.prunekit.core.graph.op;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/**
 * An N-d convolution (N = 1, 2 or 3) over {@code [batch, channels, spatial...]}. Weight layout
 * {@code O I k...} with {@code I = inChannels / groups} (PyTorch layout). {@code groups ==
 * inChannels == outChannels} is a depthwise convolution.
 */
public record Conv(
    int spatialDims,
    int inChannels,
    int outChannels,
    int[] kernel,
    int[] stride,
    Padding padding,
    int[] dilation,
    int groups,
    boolean bias)
    implements Op {

  /** Validates the geometry. */
  public Conv {
    if (spatialDims < 1 || spatialDims > 3) {
      throw new IllegalArgumentException("conv spatialDims must be 1, 2 or 3, got " + spatialDims);
    }
    ShapeChecks.positive("conv channels and groups", inChannels, outChannels, groups);
    ShapeChecks.length("conv kernel", kernel, spatialDims);
    ShapeChecks.length("conv stride", stride, spatialDims);
    ShapeChecks.length("conv dilation", dilation, spatialDims);
    ShapeChecks.length("conv padding", padding.begin(), spatialDims);
    ShapeChecks.positive("conv kernel", kernel);
    ShapeChecks.positive("conv stride", stride);
    ShapeChecks.positive("conv dilation", dilation);
    if (inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException(
          "conv groups " + groups + " must divide in channels " + inChannels + " and out channels " + outChannels);
    }
    kernel = kernel.clone();
    stride = stride.clone();
    dilation = dilation.clone();
    Objects.requireNonNull(padding, "padding");
  }

  /** A conv with stride 1, dilation 1, one group and bias. */
  public static Conv simple(int spatialDims, int in, int out, int k, int pad) {
    int[] ones = ShapeChecks.filled(spatialDims, 1);
    return new Conv(spatialDims, in, out, ShapeChecks.filled(spatialDims, k), ones,
        Padding.symmetric(spatialDims, pad), ones, 1, true);
  }

  @Override
  public String type() {
    return "conv";
  }

  /** True for a depthwise convolution (one input channel per group). */
  public boolean isDepthwise() {
    return groups > 1 && groups == inChannels;
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    int[] w = new int[spatialDims + 2];
    w[0] = outChannels;
    w[1] = inChannels / groups;
    System.arraycopy(kernel, 0, w, 2, spatialDims);
    String layout = "OI" + "DHW".substring(3 - spatialDims);
    List<ParamSpec> p = new ArrayList<>();
    p.add(new ParamSpec("weight", ParamRole.WEIGHT, new Shape(w), layout));
    if (bias) {
      p.add(new ParamSpec("bias", ParamRole.BIAS, new Shape(outChannels), "O"));
    }
    return p;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(
        x.rank() == spatialDims + 2, node, in, "conv" + spatialDims + "d needs rank " + (spatialDims + 2) + " input");
    ShapeChecks.require(
        x.get(1) == inChannels, node, in, "conv expects " + inChannels + " input channels, got " + x.get(1));
    int[] out = Windows.outputSize(node, in, x, kernel, stride, padding, dilation);
    return Windows.spatialShape(x.get(0), outChannels, out);
  }

  @Override
  public int[] kernel() {
    return kernel.clone();
  }

  @Override
  public int[] stride() {
    return stride.clone();
  }

  @Override
  public int[] dilation() {
    return dilation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Conv c
        && c.spatialDims == spatialDims
        && c.inChannels == inChannels
        && c.outChannels == outChannels
        && Arrays.equals(c.kernel, kernel)
        && Arrays.equals(c.stride, stride)
        && c.padding.equals(padding)
        && Arrays.equals(c.dilation, dilation)
        && c.groups == groups
        && c.bias == bias;
  }

  @Override
  public int hashCode() {
    return Objects.hash(spatialDims, inChannels, outChannels, Arrays.hashCode(kernel), Arrays.hashCode(stride),
        padding, Arrays.hashCode(dilation), groups, bias);
  }

  @Override
  public String toString() {
    return "Conv" + spatialDims + "d(" + inChannels + "->" + outChannels + ", k=" + Arrays.toString(kernel)
        + ", s=" + Arrays.toString(stride) + ", p=" + padding + ", d=" + Arrays.toString(dilation)
        + ", g=" + groups + (bias ? ", bias" : "") + ")";
  }
}
