package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small 3D CNN for clips {@code [B, C, T, H, W]} as a trainable DJL block: stages of {@code
 * Conv3d(3x3x3, "same" zero padding) → ReLU → optional spatial max-pool 1x2x2}, then global average
 * pooling and a linear classifier. {@link #forward} returns {@code [logits, a_1, ..., a_L]} where
 * {@code a_l} are the post-ReLU conv outputs (what {@link AvaLoss} and the AAP statistics read).
 *
 * <p>The pieces are exposed ({@link #conv}, {@link #stage}, {@link #pool}, {@link #head}) so that
 * {@link DanceRunner} can execute the same parameters with gathered frames and channels.
 */
public final class DanceNet extends AbstractBlock {
  private final int[] channels;
  private final boolean[] poolAfter;
  private final int numClasses;
  private final List<Conv3d> convs = new ArrayList<>();
  private final Linear linear;

  private DanceNet(Builder b) {
    this.channels = b.channels.clone();
    this.poolAfter = new boolean[channels.length];
    for (int i = 0; i < channels.length; i++) {
      poolAfter[i] = b.poolAfter == null ? i < channels.length - 1 : b.poolAfter[i];
    }
    this.numClasses = b.numClasses;
    for (int i = 0; i < channels.length; i++) {
      convs.add(addChildBlock("conv" + (i + 1), Conv3d.builder().setKernelShape(new Shape(3, 3, 3))
          .optPadding(new Shape(1, 1, 1)).setFilters(channels[i]).build()));
    }
    linear = addChildBlock("fc", Linear.builder().setUnits(numClasses).build());
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of conv layers L. */
  public int numConvs() {
    return channels.length;
  }

  /** Output channels of conv {@code l} (0-based). */
  public int channels(int l) {
    return channels[l];
  }

  /** Whether a 1x2x2 max-pool follows conv {@code l}. */
  public boolean poolAfter(int l) {
    return poolAfter[l];
  }

  /** Number of classes. */
  public int numClasses() {
    return numClasses;
  }

  /** Conv block {@code l} (0-based). */
  public Conv3d conv(int l) {
    return convs.get(l);
  }

  /** The classifier block. */
  public Linear linear() {
    return linear;
  }

  /** Conv {@code l} followed by ReLU: the post-ReLU activation {@code a_l}. */
  public NDArray stage(ParameterStore ps, int l, NDArray x, boolean training) {
    return Activation.relu(convs.get(l).forward(ps, new NDList(x), training).singletonOrThrow());
  }

  /** The spatial 1x2x2 max-pool used between stages. */
  public static NDArray pool(NDArray a) {
    return Pool.maxPool3d(a, new Shape(1, 2, 2), new Shape(1, 2, 2), new Shape(0, 0, 0), false);
  }

  /** Global average pool over {@code (T, H, W)} and the classifier: logits {@code [B, classes]}. */
  public NDArray head(ParameterStore ps, NDArray lastAct, boolean training) {
    NDArray g = Pool.globalAvgPool3d(lastAct);
    return linear.forward(ps, new NDList(g), training).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDList out = new NDList();
    for (int l = 0; l < channels.length; l++) {
      NDArray a = stage(ps, l, x, training);
      out.add(a);
      x = poolAfter[l] ? pool(a) : a;
    }
    out.add(0, head(ps, out.get(out.size() - 1), training));
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    long b = s.get(0);
    long t = s.get(2);
    long h = s.get(3);
    long w = s.get(4);
    Shape[] out = new Shape[channels.length + 1];
    out[0] = new Shape(b, numClasses);
    for (int l = 0; l < channels.length; l++) {
      out[l + 1] = new Shape(b, channels[l], t, h, w);
      if (poolAfter[l]) {
        h /= 2;
        w /= 2;
      }
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    long b = s.get(0);
    long c = s.get(1);
    long t = s.get(2);
    long h = s.get(3);
    long w = s.get(4);
    for (int l = 0; l < channels.length; l++) {
      convs.get(l).initialize(manager, dataType, new Shape(b, c, t, h, w));
      c = channels[l];
      if (poolAfter[l]) {
        h /= 2;
        w /= 2;
      }
    }
    linear.initialize(manager, dataType, new Shape(b, c));
  }

  @Override
  public String toString() {
    return "DanceNet(channels=" + Arrays.toString(channels) + ", poolAfter=" + Arrays.toString(poolAfter)
        + ", classes=" + numClasses + ")";
  }

  /** Builder: {@link #setChannels} and {@link #setNumClasses} are required. */
  public static final class Builder {
    private int[] channels;
    private boolean[] poolAfter;
    private int numClasses;

    private Builder() {}

    /** Output channels of each conv layer (2 or more layers). */
    public Builder setChannels(int... channels) {
      this.channels = channels.clone();
      return this;
    }

    /** Number of classes. */
    public Builder setNumClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /** Which convs are followed by a 1x2x2 max-pool (default: all but the last). */
    public Builder optPoolAfter(boolean... poolAfter) {
      this.poolAfter = poolAfter.clone();
      return this;
    }

    /**
     * Builds the block.
     *
     * @throws IllegalArgumentException for fewer than 2 layers, non-positive sizes or a pool list of
     *     the wrong length
     */
    public DanceNet build() {
      if (channels == null || channels.length < 2) {
        throw new IllegalArgumentException("DanceNet needs at least 2 conv layers, got "
            + (channels == null ? "none" : Arrays.toString(channels)));
      }
      for (int c : channels) {
        if (c <= 0) {
          throw new IllegalArgumentException("DanceNet channels must be > 0: " + Arrays.toString(channels));
        }
      }
      if (numClasses < 2) {
        throw new IllegalArgumentException("DanceNet needs >= 2 classes, got " + numClasses);
      }
      if (poolAfter != null && poolAfter.length != channels.length) {
        throw new IllegalArgumentException("poolAfter has " + poolAfter.length + " entries for " + channels.length
            + " layers");
      }
      return new DanceNet(this);
    }
  }
}
