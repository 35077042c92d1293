package org.prunekit.dynamic.dance;

import java.util.Objects;

/**
 * Exact MAC and memory-access accounting for a 3D convolution whose input is gated by a
 * zero-skipping keep mask (spec {@code algorithms.md} §3.1, "MAC and memory-access accounting").
 *
 * <p>Each kept input element {@code (c, t, h, w)} meets each output channel's kernel at exactly as
 * many output positions as lie in bounds, {@code n(t) * n(h) * n(w)} with {@code n(x) = |[x + p - k +
 * 1, x + p] ∩ [0, out - 1]|} per dimension (stride 1), so {@code MAC_used = C_out * Σ_kept n(t) n(h)
 * n(w)}: interior elements count {@code kT kH kW}, elements near a border fewer (edge effects
 * included). Memory accesses, in elements: activation reads {@code nnz(input)}, weight reads {@code
 * C_out * (#input channels with a kept element) * kT kH kW}, output writes {@code C_out * (#output
 * frames whose receptive field holds a kept element) * H_out W_out}; an optional bitmap of {@code
 * ceil(numel / 8)} bytes models reading the mask itself.
 *
 * <p><b>Deviation from the spec text, on purpose.</b> The spec's "dense MACs" formula {@code C_out
 * T_out H_out W_out C_in kT kH kW} also counts the multiplications with padding zeros that a dense
 * kernel executes, while its zero-skipping count does not; with padding the two differ even when
 * every input is kept. So that "all kept → ratio exactly 1" (the spec's first test) holds, {@link
 * #ratio} divides by the zero-skipping count of the all-kept mask ({@link #allKept}); {@link #dense}
 * is the padded formula, the work a dense engine kernel really does, and is what executed-MAC
 * figures compare against.
 */
public final class Conv3dCost {
  private Conv3dCost() {}

  /**
   * Work of one convolution on one clip, in elements (and bitmap bytes).
   *
   * @param macs multiply-accumulates
   * @param activationReads input activation elements read
   * @param weightReads weight elements read
   * @param outputWrites output elements written
   * @param bitmapBytes bytes of keep-mask bitmap read (0 when not modelled)
   */
  public record Counts(long macs, long activationReads, long weightReads, long outputWrites, long bitmapBytes) {
    /** Validates that every count is non-negative. */
    public Counts {
      if (macs < 0 || activationReads < 0 || weightReads < 0 || outputWrites < 0 || bitmapBytes < 0) {
        throw new IllegalArgumentException("negative count in " + macs + "/" + activationReads + "/" + weightReads
            + "/" + outputWrites + "/" + bitmapBytes);
      }
    }

    /** Memory traffic in bytes with {@code bytesPerElement} bytes per activation or weight element. */
    public long memoryBytes(int bytesPerElement) {
      return (activationReads + weightReads + outputWrites) * bytesPerElement + bitmapBytes;
    }

    /** Element-wise sum. */
    public Counts plus(Counts o) {
      return new Counts(macs + o.macs, activationReads + o.activationReads, weightReads + o.weightReads,
          outputWrites + o.outputWrites, bitmapBytes + o.bitmapBytes);
    }
  }

  /** The padded dense formula: what a dense kernel executes ({@code C_out T_out H_out W_out C_in kT kH kW}). */
  public static Counts dense(Conv3dGeometry g) {
    long macs = (long) g.cOut() * g.outputPositions() * g.cIn() * g.kernelVolume();
    return new Counts(macs, g.inputElements(), (long) g.cOut() * g.cIn() * g.kernelVolume(),
        (long) g.cOut() * g.outputPositions(), 0);
  }

  /** The zero-skipping count with every input element kept. */
  public static Counts allKept(Conv3dGeometry g) {
    boolean[] keep = new boolean[Math.toIntExact(g.inputElements())];
    java.util.Arrays.fill(keep, true);
    return exact(g, keep, false);
  }

  /**
   * Number of in-bounds output positions along one dimension touched by input index {@code x}.
   *
   * @param x input index
   * @param k kernel size
   * @param p padding
   * @param out output size
   */
  public static int touches(int x, int k, int p, int out) {
    int lo = Math.max(x + p - k + 1, 0);
    int hi = Math.min(x + p, out - 1);
    return Math.max(0, hi - lo + 1);
  }

  /**
   * Per input position {@code (t, h, w)} (row-major), the number of output positions one kept element
   * there touches per output channel: {@code n(t) n(h) n(w)}.
   */
  public static float[] touchWeights(Conv3dGeometry g) {
    float[] out = new float[g.t() * g.h() * g.w()];
    int i = 0;
    for (int t = 0; t < g.t(); t++) {
      int nt = touches(t, g.kT(), g.pT(), g.tOut());
      for (int h = 0; h < g.h(); h++) {
        int nh = touches(h, g.kH(), g.pH(), g.hOut());
        for (int w = 0; w < g.w(); w++) {
          out[i++] = (float) nt * nh * touches(w, g.kW(), g.pW(), g.wOut());
        }
      }
    }
    return out;
  }

  /**
   * Output frames written when the input frames flagged in {@code frameHasKept} hold kept elements:
   * frames whose receptive field holds none are skipped.
   */
  public static int outputFramesTouched(Conv3dGeometry g, boolean[] frameHasKept) {
    int n = 0;
    for (int o = 0; o < g.tOut(); o++) {
      for (int dt = 0; dt < g.kT(); dt++) {
        int t = o + dt - g.pT();
        if (t >= 0 && t < g.t() && frameHasKept[t]) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /**
   * The exact zero-skipping counts for a keep mask over the input {@code [cIn, t, h, w]} (row-major).
   *
   * @param keep true = the element is kept (non-zero after gating)
   * @param bitmap whether to add {@code ceil(numel / 8)} bytes for reading a keep bitmap
   * @throws IllegalArgumentException if the mask length does not match the geometry
   */
  public static Counts exact(Conv3dGeometry g, boolean[] keep, boolean bitmap) {
    Objects.requireNonNull(keep, "keep");
    if (keep.length != g.inputElements()) {
      throw new IllegalArgumentException("keep mask has " + keep.length + " elements, geometry " + g + " needs "
          + g.inputElements());
    }
    int[] nt = new int[g.t()];
    int[] nh = new int[g.h()];
    int[] nw = new int[g.w()];
    for (int t = 0; t < g.t(); t++) {
      nt[t] = touches(t, g.kT(), g.pT(), g.tOut());
    }
    for (int h = 0; h < g.h(); h++) {
      nh[h] = touches(h, g.kH(), g.pH(), g.hOut());
    }
    for (int w = 0; w < g.w(); w++) {
      nw[w] = touches(w, g.kW(), g.pW(), g.wOut());
    }
    long touched = 0;
    long nnz = 0;
    int channelsWithKept = 0;
    boolean[] frameHasKept = new boolean[g.t()];
    int i = 0;
    for (int c = 0; c < g.cIn(); c++) {
      boolean any = false;
      for (int t = 0; t < g.t(); t++) {
        for (int h = 0; h < g.h(); h++) {
          for (int w = 0; w < g.w(); w++) {
            if (keep[i++]) {
              touched += (long) nt[t] * nh[h] * nw[w];
              nnz++;
              any = true;
              frameHasKept[t] = true;
            }
          }
        }
      }
      if (any) {
        channelsWithKept++;
      }
    }
    long writes = (long) g.cOut() * outputFramesTouched(g, frameHasKept) * g.hOut() * g.wOut();
    long bitmapBytes = bitmap ? (g.inputElements() + 7) / 8 : 0;
    return new Counts((long) g.cOut() * touched, nnz, (long) g.cOut() * channelsWithKept * g.kernelVolume(), writes,
        bitmapBytes);
  }

  /** {@code MAC_used / MAC_all-kept} for a keep mask (1 exactly when everything is kept). */
  public static double ratio(Conv3dGeometry g, boolean[] keep) {
    long all = allKept(g).macs();
    return all == 0 ? 0 : (double) exact(g, keep, false).macs() / all;
  }
}
