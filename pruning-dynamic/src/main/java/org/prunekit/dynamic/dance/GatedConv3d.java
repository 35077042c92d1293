package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;

/**
 * A 3D convolution that only touches the kept frames and kept input channels of its input, with the
 * semantics "dropped frames and channels are zeros" — so the result equals the dense convolution of
 * the masked input exactly (tested), while the engine only sees the smaller tensors.
 *
 * <p><b>Frames.</b> With a temporal kernel {@code kT > 1} and padding, a dropped input frame still
 * sits inside the receptive field of neighbouring output frames. Treating it as zeros (rather than
 * convolving over the gathered frame subsequence, which would make non-adjacent frames adjacent
 * and differ from what the controller was trained on) keeps inference identical to training. It is
 * executed as follows: the kept frames {@code K} are gathered and each is convolved in 2D with all
 * {@code kT} temporal slices of the (channel-sliced) kernel at once, one {@code conv2d} with {@code
 * kT * C_out} filters over a batch of {@code |K|} frames; a 0/1 placement matrix {@code P [T_out,
 * |K| kT]} then sums each kept frame's slice {@code dt} into output frame {@code t + p_T - dt}
 * (one matmul). Output frames whose receptive field holds no kept frame receive the bias only.
 * When every frame is kept a plain {@code conv3d} runs on the channel-sliced input. {@link
 * #executedMacs} counts exactly the multiply-accumulates of these engine calls (conv2d with its
 * spatial padding taps, plus the placement matmul); features zeroed inside the kept frames and
 * channels are still multiplied by the dense kernel and so are counted there, while {@link
 * Conv3dCost#exact} gives the zero-skipping count.
 */
public final class GatedConv3d {
  private GatedConv3d() {}

  /**
   * Runs the gated convolution.
   *
   * @param xs the gathered input {@code [1, |C|, |K|, H, W]} (kept channels, kept frames, in order)
   * @param weight the full weight {@code [C_out, C_in, kT, kH, kW]}
   * @param bias the bias {@code [C_out]}
   * @param keptChannels indices of kept input channels, ascending, non-empty
   * @param keptFrames indices of kept input frames, ascending, non-empty
   * @param g the full (ungated) geometry
   * @return the output {@code [1, C_out, T_out, H_out, W_out]}
   */
  public static NDArray forward(NDArray xs, NDArray weight, NDArray bias, int[] keptChannels, int[] keptFrames,
      Conv3dGeometry g) {
    return forward(xs, weight, bias, keptChannels, keptFrames, g, false);
  }

  /**
   * As {@link #forward(NDArray, NDArray, NDArray, int[], int[], Conv3dGeometry)}; with {@code
   * alwaysConv2d} the conv2d + placement path also runs when every frame is kept (exactly the same
   * result; on libtorch 2.7.1 CPU it was slower than {@code conv3d} in the study, 5.0 vs 2.7 ms per dense
   * clip, see docs/dynamic-dance.md). Use the same choice for the dense baseline when comparing times.
   */
  public static NDArray forward(NDArray xs, NDArray weight, NDArray bias, int[] keptChannels, int[] keptFrames,
      Conv3dGeometry g, boolean alwaysConv2d) {
    NDManager m = xs.getManager();
    NDArray w = keptChannels.length == g.cIn() ? weight : weight.get(new NDIndex(":, {}", m.create(keptChannels)));
    int ck = keptChannels.length;
    int tk = keptFrames.length;
    if (tk == g.t() && !alwaysConv2d) {
      return Conv3d.conv3d(xs, w, bias, new Shape(1, 1, 1), new Shape(g.pT(), g.pH(), g.pW()), new Shape(1, 1, 1), 1)
          .singletonOrThrow();
    }
    int kT = g.kT();
    int cOut = g.cOut();
    NDArray w2 = w.transpose(2, 0, 1, 3, 4).reshape(kT * (long) cOut, ck, g.kH(), g.kW());
    NDArray x2 = xs.transpose(0, 2, 1, 3, 4).reshape(tk, ck, g.h(), g.w());
    NDArray y = Conv2d.conv2d(x2, w2, null, new Shape(1, 1), new Shape(g.pH(), g.pW()), new Shape(1, 1), 1)
        .singletonOrThrow();
    long plane = (long) cOut * g.hOut() * g.wOut();
    NDArray y2 = y.reshape((long) tk * kT, plane);
    int tOut = g.tOut();
    float[] p = new float[tOut * tk * kT];
    for (int k = 0; k < tk; k++) {
      for (int dt = 0; dt < kT; dt++) {
        int o = keptFrames[k] + g.pT() - dt;
        if (o >= 0 && o < tOut) {
          p[o * tk * kT + k * kT + dt] = 1f;
        }
      }
    }
    NDArray out = m.create(p, new Shape(tOut, (long) tk * kT)).matMul(y2)
        .reshape(tOut, cOut, g.hOut(), g.wOut()).transpose(1, 0, 2, 3).expandDims(0);
    return bias == null ? out : out.add(bias.reshape(1, cOut, 1, 1, 1));
  }

  /** Multiply-accumulates the engine executes in {@link #forward} for these kept counts. */
  public static long executedMacs(Conv3dGeometry g, int keptChannels, int keptFrames) {
    return executedMacs(g, keptChannels, keptFrames, false);
  }

  /** Multiply-accumulates the engine executes in {@link #forward} with the given kernel choice. */
  public static long executedMacs(Conv3dGeometry g, int keptChannels, int keptFrames, boolean alwaysConv2d) {
    if (keptChannels == 0 || keptFrames == 0) {
      return 0;
    }
    if (keptFrames == g.t() && !alwaysConv2d) {
      return (long) g.cOut() * g.outputPositions() * keptChannels * g.kernelVolume();
    }
    long hw = (long) g.hOut() * g.wOut();
    long conv = (long) keptFrames * g.kT() * g.cOut() * keptChannels * g.kH() * g.kW() * hw;
    long place = (long) g.tOut() * keptFrames * g.kT() * g.cOut() * hw;
    return conv + place;
  }

  /**
   * Elements the engine reads and writes in {@link #forward}: gathered input, sliced weights, the
   * intermediate per-slice result (written and read) and the placement matrix when frames are
   * dropped, and the output. The gather and masking passes themselves are not counted.
   */
  public static long executedElements(Conv3dGeometry g, int keptChannels, int keptFrames) {
    return executedElements(g, keptChannels, keptFrames, false);
  }

  /** Elements read and written in {@link #forward} with the given kernel choice. */
  public static long executedElements(Conv3dGeometry g, int keptChannels, int keptFrames, boolean alwaysConv2d) {
    long out = (long) g.cOut() * g.outputPositions();
    if (keptChannels == 0 || keptFrames == 0) {
      return out;
    }
    long in = (long) keptChannels * keptFrames * g.h() * g.w();
    long w = (long) g.cOut() * keptChannels * g.kernelVolume();
    if (keptFrames == g.t() && !alwaysConv2d) {
      return in + w + out;
    }
    long mid = 2L * keptFrames * g.kT() * g.cOut() * g.hOut() * g.wOut();
    long p = (long) g.tOut() * keptFrames * g.kT();
    return in + w + mid + p + out;
  }
}
