package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/**
 * The DANCE gating rule on a layer input {@code x [B, C, T, H, W]} (spec §3.1): frame {@code t} is
 * kept when {@code mean_{c,h,w} |x| >= τ_frame μ}, channel {@code c} when {@code mean_{t,h,w} |x| >=
 * τ_chan μ}, element when {@code |x| >= τ_feat μ}; the mask is the product of the three.
 */
public final class DanceGate {
  private DanceGate() {}

  /** The hard 0/1 keep mask {@code [B, C, T, H, W]} for one set of thresholds. */
  public static NDArray hardMask(NDArray x, LayerThresholds th, float mu) {
    NDArray a = x.abs();
    NDArray fr = meanOver(a, true, 1, 3, 4).gte(th.frame() * mu);
    NDArray ch = meanOver(a, true, 2, 3, 4).gte(th.channel() * mu);
    NDArray el = a.gte(th.feature() * mu);
    return el.logicalAnd(fr).logicalAnd(ch).toType(DataType.FLOAT32, false);
  }

  /**
   * The straight-through keep mask for training: the forward value is the hard mask; the gradient
   * with respect to the thresholds {@code tau [B, 3]} ({@code frame, channel, feature} columns) is
   * that of {@code sigmoid((score - τ μ) / (temperature μ))}.
   */
  public static NDArray straightThroughMask(NDArray x, NDArray tau, float mu, float temperature) {
    NDList f = straightThroughFactors(x, tau, mu, temperature);
    return f.get(0).mul(f.get(1)).mul(f.get(2));
  }

  /**
   * The three straight-through factors of {@link #straightThroughMask}: element mask {@code [B, C, T,
   * H, W]}, frame mask {@code [B, 1, T, 1, 1]}, channel mask {@code [B, C, 1, 1, 1]}.
   */
  public static NDList straightThroughFactors(NDArray x, NDArray tau, float mu, float temperature) {
    NDArray a = x.abs();
    long b = x.getShape().get(0);
    NDArray tf = tau.get(":, 0").reshape(b, 1, 1, 1, 1).mul(mu);
    NDArray tc = tau.get(":, 1").reshape(b, 1, 1, 1, 1).mul(mu);
    NDArray te = tau.get(":, 2").reshape(b, 1, 1, 1, 1).mul(mu);
    float width = temperature * mu;
    NDArray fr = straightThrough(meanOver(a, true, 1, 3, 4), tf, width);
    NDArray ch = straightThrough(meanOver(a, true, 2, 3, 4), tc, width);
    NDArray el = straightThrough(a, te, width);
    return new NDList(el, fr, ch);
  }

  /**
   * Mean over several axes (PyTorch's DJL binding averages over one axis only): sum divided by the
   * number of summed elements.
   */
  public static NDArray meanOver(NDArray a, boolean keepDims, int... axes) {
    long n = 1;
    for (int ax : axes) {
      n *= a.getShape().get(ax);
    }
    return a.sum(axes, keepDims).div((float) n);
  }

  private static NDArray straightThrough(NDArray score, NDArray threshold, float width) {
    NDArray diff = score.sub(threshold);
    NDArray soft = Activation.sigmoid(diff.div(width));
    NDArray hard = diff.gte(0f).toType(DataType.FLOAT32, false);
    return hard.add(soft.sub(soft.stopGradient()));
  }
}
