package org.prunekit.dynamic.dance;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.ndarray.types.Shape;

/**
 * The geometry of one stride-1, dilation-1, ungrouped 3D convolution applied to one clip: input
 * {@code [cIn, t, h, w]}, kernel {@code kT x kH x kW}, zero padding {@code pT, pH, pW} on both
 * sides, {@code cOut} output channels. Output sizes follow {@code out = in + 2p - k + 1}.
 *
 * @param cIn input channels
 * @param t input frames
 * @param h input height
 * @param w input width
 * @param cOut output channels
 * @param kT temporal kernel size
 * @param kH kernel height
 * @param kW kernel width
 * @param pT temporal padding (each side)
 * @param pH height padding (each side)
 * @param pW width padding (each side)
 */
public record Conv3dGeometry(int cIn, int t, int h, int w, int cOut, int kT, int kH, int kW, int pT, int pH, int pW) {
  /** Validates that every size is positive, padding non-negative and every output size positive. */
  public Conv3dGeometry {
    int[] pos = {cIn, t, h, w, cOut, kT, kH, kW};
    String[] names = {"cIn", "t", "h", "w", "cOut", "kT", "kH", "kW"};
    for (int i = 0; i < pos.length; i++) {
      if (pos[i] <= 0) {
        throw new IllegalArgumentException("Conv3dGeometry: " + names[i] + " must be > 0, got " + pos[i]);
      }
    }
    if (pT < 0 || pH < 0 || pW < 0) {
      throw new IllegalArgumentException("Conv3dGeometry: padding must be >= 0, got " + pT + "," + pH + "," + pW);
    }
    if (t + 2 * pT - kT + 1 <= 0 || h + 2 * pH - kH + 1 <= 0 || w + 2 * pW - kW + 1 <= 0) {
      throw new IllegalArgumentException("Conv3dGeometry: kernel " + kT + "x" + kH + "x" + kW
          + " larger than padded input " + t + "x" + h + "x" + w);
    }
  }

  /**
   * The geometry of a DJL {@link Conv3d} block applied to a clip of {@code [cIn, t, h, w]}.
   *
   * @param name the layer's name, used in error messages
   * @throws IllegalArgumentException if the block is not a Conv3d, or has a stride, dilation or
   *     group count other than 1 (those cannot be gated by frame/channel gathering here)
   */
  public static Conv3dGeometry of(String name, Block block, int cIn, int t, int h, int w) {
    Conv3d conv = requireGateable(name, block);
    Shape k = conv.getKernelShape();
    Shape p = conv.getPadding();
    int pt = p == null || p.dimension() < 3 ? 0 : (int) p.get(0);
    int ph = p == null || p.dimension() < 3 ? 0 : (int) p.get(1);
    int pw = p == null || p.dimension() < 3 ? 0 : (int) p.get(2);
    return new Conv3dGeometry(cIn, t, h, w, conv.getFilters(), (int) k.get(0), (int) k.get(1), (int) k.get(2), pt, ph, pw);
  }

  /**
   * Checks that {@code block} is a Conv3d that DANCE can gate (3D kernel, stride 1, dilation 1, one
   * group) and returns it.
   *
   * @param name the layer's name, used in error messages
   * @throws IllegalArgumentException naming the layer and what is wrong
   */
  public static Conv3d requireGateable(String name, Block block) {
    if (!(block instanceof Conv3d conv)) {
      throw new IllegalArgumentException("DANCE can only gate Conv3d layers; layer '" + name + "' is a "
          + (block == null ? "null" : block.getClass().getSimpleName()));
    }
    Shape k = conv.getKernelShape();
    Shape s = conv.getStride();
    Shape d = conv.getDilation();
    if (k.dimension() != 3) {
      throw new IllegalArgumentException("layer '" + name + "': kernel shape " + k + " is not 3D");
    }
    for (int i = 0; i < 3; i++) {
      if ((s != null && s.dimension() == 3 && s.get(i) != 1) || (d != null && d.dimension() == 3 && d.get(i) != 1)) {
        throw new IllegalArgumentException("layer '" + name + "': DANCE gating supports stride 1 and dilation 1, got stride "
            + s + " dilation " + d);
      }
    }
    if (conv.getGroups() != 1) {
      throw new IllegalArgumentException("layer '" + name + "': grouped Conv3d (groups=" + conv.getGroups()
          + ") cannot be gated by input-channel slicing");
    }
    return conv;
  }

  /** Output frames. */
  public int tOut() {
    return t + 2 * pT - kT + 1;
  }

  /** Output height. */
  public int hOut() {
    return h + 2 * pH - kH + 1;
  }

  /** Output width. */
  public int wOut() {
    return w + 2 * pW - kW + 1;
  }

  /** Number of input elements {@code cIn * t * h * w}. */
  public long inputElements() {
    return (long) cIn * t * h * w;
  }

  /** Kernel volume {@code kT * kH * kW}. */
  public int kernelVolume() {
    return kT * kH * kW;
  }

  /** Output elements per output channel {@code tOut * hOut * wOut}. */
  public long outputPositions() {
    return (long) tOut() * hOut() * wOut();
  }
}
