package org.prunekit.criteria.sparsegpt;

import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.select.MaskSelector;

/**
 * SparseGPT (spec B8; Frantar and Alistarh 2023, as copied in the Wanda code's {@code
 * lib/sparsegpt.py}): one-shot pruning of one layer that also <em>updates the surviving weights</em>
 * to compensate the pruning error, using the calibration Hessian {@code H = 2 X^T X / n}.
 *
 * <p>This is a self-contained layer operation: a weight {@code [out, in]} (a conv weight {@code
 * [out, in, k...]} as {@code [out, in*k...]}) and its {@code in x in} Hessian in, the updated
 * weight and the mask out ({@link SparseGptResult}); nothing else is read or changed, so a
 * layer-by-layer calibration pipeline can call it per layer. {@link SparseGptPruning} applies it to
 * the targets of a graph.
 *
 * <h2>Algorithm (the reference, step by step)</h2>
 *
 * <ol>
 *   <li>Dead inputs: columns with {@code H_jj = 0} get {@code H_jj = 1} and weight column 0.
 *   <li>Dampening: {@code H += percdamp * mean(diag H) * I} (default {@code percdamp = 0.01}).
 *   <li>{@code U} = upper Cholesky factor of {@code H^-1} ({@code U^T U = H^-1}).
 *   <li>Columns in blocks of {@code blockSize} (default 128). Unstructured: at the start of each
 *       block the mask is chosen over the whole {@code rows x block} slice by score {@code w^2 /
 *       U_jj^2} (see {@link ThresholdMode}: {@code EXACT} prunes exactly {@code floor(s * rows *
 *       block)} lowest, ties lower row-major index first; {@code REFERENCE} prunes every score
 *       {@code <=} the one at sorted position {@code floor(s * rows * block)}, the reference's
 *       rule). N:M: at the first column of each group of M, in every row the {@code M - keepN}
 *       lowest scores of the group, using the weights as updated so far.
 *   <li>For each column {@code j} of the block: {@code q} = column with pruned entries zeroed,
 *       {@code err = (w_j - q_j) / U_jj}, {@code W[:, j:blockEnd] -= err * U[j, j:blockEnd]}; after
 *       the block {@code W[:, blockEnd:] -= Err * U[block, blockEnd:]}.
 * </ol>
 *
 * <p>Arithmetic is in {@code double} (the reference uses float32), the result rounded to float.
 * With {@code H} a multiple of the identity {@code U} is diagonal, no error propagates, and the
 * result is magnitude pruning per block with the surviving weights unchanged.
 *
 * <p>Instances are immutable and thread-safe; build one with {@link #builder()} or use {@link
 * #defaults()}.
 */
public final class SparseGpt {
  /** The reference's block size. */
  public static final int DEFAULT_BLOCK_SIZE = 128;
  /** The reference's relative dampening. */
  public static final double DEFAULT_PERCDAMP = 0.01;

  private final int blockSize;
  private final double percDamp;
  private final ThresholdMode mode;

  private SparseGpt(Builder b) {
    this.blockSize = b.blockSize;
    this.percDamp = b.percDamp;
    this.mode = b.mode;
  }

  /** Block size 128, percdamp 0.01, exact-count selection. */
  public static SparseGpt defaults() {
    return builder().build();
  }

  /** A builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Columns per block. */
  public int blockSize() {
    return blockSize;
  }

  /** Dampening relative to the mean Hessian diagonal. */
  public double percDamp() {
    return percDamp;
  }

  /** How the unstructured per-block count is applied. */
  public ThresholdMode thresholdMode() {
    return mode;
  }

  /**
   * Unstructured SparseGPT of one layer with the accumulated Hessian.
   *
   * @see #prune(String, TensorData, double[], double)
   */
  public SparseGptResult prune(String layer, TensorData weight, HessianAccumulator hessian, double sparsity) {
    return prune(layer, weight, requireWidth(layer, weight, hessian).hessian(), sparsity);
  }

  /**
   * N:M SparseGPT of one layer with the accumulated Hessian.
   *
   * @see #prune(String, TensorData, double[], NmPattern)
   */
  public SparseGptResult prune(String layer, TensorData weight, HessianAccumulator hessian, NmPattern pattern) {
    return prune(layer, weight, requireWidth(layer, weight, hessian).hessian(), pattern);
  }

  /**
   * Unstructured SparseGPT of one layer.
   *
   * @param layer the layer or parameter name, for messages
   * @param weight {@code [out, in]} or {@code [out, in, k...]}; not modified
   * @param hessian the {@code in x in} row-major Hessian (e.g. {@link HessianAccumulator#hessian()});
   *     not modified
   * @param sparsity fraction pruned per block, in {@code [0, 1)}
   * @return the updated weight and the mask
   * @throws IllegalArgumentException naming the layer on a sparsity outside {@code [0, 1)}, a
   *     weight of rank below 2, a NaN/Inf weight or Hessian entry, a Hessian of the wrong size, not
   *     symmetric, with a negative diagonal, or not positive definite after dampening
   */
  public SparseGptResult prune(String layer, TensorData weight, double[] hessian, double sparsity) {
    requireLayerSparsity(layer, sparsity);
    return run(layer, weight, hessian, sparsity, null, null);
  }

  /**
   * N:M SparseGPT of one layer: in every row each group of {@code pattern.groupM()} input columns
   * keeps {@code pattern.keepN()} entries.
   *
   * @throws IllegalArgumentException as {@link #prune(String, TensorData, double[], double)}, and
   *     if M does not divide the input width or the block size
   */
  public SparseGptResult prune(String layer, TensorData weight, double[] hessian, NmPattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    return run(layer, weight, hessian, pattern.sparsity(), pattern, null);
  }

  /** Checks a sparsity, naming the layer. */
  static void requireLayerSparsity(String layer, double sparsity) {
    try {
      MaskSelector.requireSparsity(sparsity);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SparseGPT on '" + layer + "': " + e.getMessage(), e);
    }
  }

  private static HessianAccumulator requireWidth(String layer, TensorData weight, HessianAccumulator h) {
    Objects.requireNonNull(h, "hessian");
    Objects.requireNonNull(weight, "weight");
    int cols = SparseGptKernel.columns(layer, weight.shape());
    if (h.width() != cols) {
      throw new IllegalArgumentException("Hessian of '" + layer + "' is " + h.width() + " x " + h.width()
          + ", but weight " + weight.shape() + " has input width " + cols);
    }
    return h;
  }

  /**
   * Validates everything, then runs the sweep. {@code priorMask} (nullable, 1 = keep) marks
   * entries already pruned: they are pruned again first and stay pruned.
   */
  SparseGptResult run(String layer, TensorData weight, double[] hessian, double sparsity, NmPattern nm,
      TensorData priorMask) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(hessian, "hessian");
    Shape shape = weight.shape();
    int cols = SparseGptKernel.columns(layer, shape);
    if (nm != null) {
      nm.requireDivides(layer, cols);
      if (blockSize % nm.groupM() != 0) {
        throw new IllegalArgumentException("SparseGPT on '" + layer + "': block size " + blockSize
            + " is not a multiple of N:M group size " + nm.groupM());
      }
    }
    if (priorMask != null && !priorMask.shape().equals(shape)) {
      throw new IllegalArgumentException("existing mask of '" + layer + "' has shape " + priorMask.shape()
          + ", weight has " + shape);
    }
    return new SparseGptKernel(layer, shape, weight.toFloatArray(), hessian, cols, blockSize, percDamp, mode)
        .run(sparsity, nm, priorMask == null ? null : priorMask.toFloatArray());
  }

  @Override
  public String toString() {
    return "SparseGpt[blockSize=" + blockSize + ", percdamp=" + percDamp + ", mode=" + mode + "]";
  }

  /** Builds a {@link SparseGpt}. */
  public static final class Builder {
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private double percDamp = DEFAULT_PERCDAMP;
    private ThresholdMode mode = ThresholdMode.EXACT;

    private Builder() {}

    /**
     * Optional: columns per block (default 128).
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder optBlockSize(int blockSize) {
      if (blockSize <= 0) {
        throw new IllegalArgumentException("SparseGPT block size must be positive, got " + blockSize);
      }
      this.blockSize = blockSize;
      return this;
    }

    /**
     * Optional: dampening relative to the mean Hessian diagonal (default 0.01).
     *
     * @throws IllegalArgumentException unless finite and {@code >= 0}
     */
    public Builder optPercDamp(double percDamp) {
      if (!(percDamp >= 0) || Double.isInfinite(percDamp)) {
        throw new IllegalArgumentException("SparseGPT percdamp must be finite and >= 0, got " + percDamp);
      }
      this.percDamp = percDamp;
      return this;
    }

    /** Optional: exact count per block (default) or the reference's {@code <=} threshold. */
    public Builder optThresholdMode(ThresholdMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Builds the (immutable) operation. */
    public SparseGpt build() {
      return new SparseGpt(this);
    }
  }
}
