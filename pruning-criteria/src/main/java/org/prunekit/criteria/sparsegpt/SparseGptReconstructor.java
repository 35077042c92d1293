package org.prunekit.criteria.sparsegpt;

import java.util.Objects;
import org.prunekit.core.graph.Parameter;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.calibration.GramMatrix;
import org.prunekit.criteria.calibration.LayerReconstructor;
import org.prunekit.criteria.calibration.Reconstruction;
import org.prunekit.criteria.pattern.NmPattern;

/**
 * SparseGPT as the {@link LayerReconstructor} of the sequential calibration procedure ({@link
 * org.prunekit.criteria.calibration.SequentialPruner#builder() SequentialPruner.optReconstructor}):
 * Wanda's {@code prune_sparsegpt}, layer by layer, each block calibrated on the outputs of the
 * already pruned and updated blocks before it.
 *
 * <pre>{@code
 * SequentialPruner.builder()
 *     .setSpec(PruningSpec.builder().setCriterion("sparsegpt").optPattern(NmPattern.keep(2, 4))
 *         .optTargets(SequentialPruner.blockTargets(graph, partition)).build())
 *     .setPartition(partition).optCalibration(calibration)
 *     .optReconstructor(SparseGptReconstructor.defaults())
 *     .build().prune(graph);
 * }</pre>
 *
 * <p><b>Normalisation.</b> The pruner hands over {@code X^T X} and the token count {@code n}; this
 * bridge forms {@code H = 2 X^T X / n} (what {@link HessianAccumulator#hessian()} gives; the
 * reference divides by the number of sequences instead) and calls {@link SparseGpt}. SparseGPT's
 * result does not depend on that scale: the dampening is relative to the mean diagonal, the mask
 * score {@code w^2 / U_jj^2} and the update {@code (w - q) / U_jj * U_j,:} scale together, so only
 * rounding differs ({@code SparseGptReconstructorTest.resultDoesNotDependOnTheHessianScale}).
 *
 * <p>The Gram matrix is symmetrised first (see {@link #hessian}).
 *
 * <p>The spec's sparsity (per {@code rows x block} slice) or N:M pattern and its threshold mode
 * apply; for unstructured specs the scope must be {@link Scope#LAYER}, as in {@link
 * SparseGptPruning}. An existing mask on the weight stays pruned (chosen first). The weight and the
 * Gram matrix are not modified.
 */
public final class SparseGptReconstructor implements LayerReconstructor {
  private final SparseGpt settings;

  /**
   * A reconstructor with the given block size and dampening (the threshold mode is taken from each
   * spec).
   */
  public SparseGptReconstructor(SparseGpt settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Block size 128, percdamp 0.01 (the reference's). */
  public static SparseGptReconstructor defaults() {
    return new SparseGptReconstructor(SparseGpt.defaults());
  }

  /** The block size and dampening used. */
  public SparseGpt settings() {
    return settings;
  }

  @Override
  public String name() {
    return SparseGptCriterion.NAME;
  }

  /**
   * Runs SparseGPT on {@code weight} with {@code H = 2 X^T X / n}.
   *
   * @throws IllegalArgumentException naming the weight if the Gram matrix's width is not the
   *     weight's input width ({@code in}, or {@code in*k...} for a conv), the scope does not apply,
   *     N:M's M does not divide the width or the block size, a value is not finite, or the Hessian
   *     is not positive definite after dampening
   */
  @Override
  public Reconstruction reconstruct(Parameter weight, GramMatrix gram, PruningSpec spec) {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(gram, "gram");
    Objects.requireNonNull(spec, "spec");
    String name = weight.qualifiedName();
    int cols = SparseGptKernel.columns(name, weight.shape());
    if (gram.columns() != cols) {
      throw new IllegalArgumentException("Gram matrix for '" + name + "' is " + gram.columns() + " x "
          + gram.columns() + ", but weight " + weight.shape() + " has input width " + cols);
    }
    NmPattern nm = spec.pattern() instanceof NmPattern n ? n : null;
    if (nm == null && spec.scope() != Scope.LAYER) {
      throw new IllegalArgumentException("SparseGPT on '" + name + "' selects per block of the whole layer; scope "
          + spec.scope() + " does not apply (use LAYER, the default of criterion 'sparsegpt')");
    }
    SparseGptResult r = SparseGpt.builder().optBlockSize(settings.blockSize()).optPercDamp(settings.percDamp())
        .optThresholdMode(spec.thresholdMode()).build()
        .run(name, weight.value(), hessian(gram), spec.sparsity(), nm, weight.hasMask() ? weight.mask() : null);
    return new Reconstruction(r.weight(), r.mask());
  }

  /**
   * {@code H = 2 X^T X / n} from the Gram matrix (not modified), symmetrised as {@code (G_ij +
   * G_ji) / 2}: the pruner forms each batch's {@code X^T X} with a float32 engine matmul, whose two
   * triangles may differ in the last bits; a symmetric input is unchanged.
   */
  static double[] hessian(GramMatrix gram) {
    int c = gram.columns();
    double scale = 2.0 / gram.tokens();
    double[] xtx = gram.values();
    double[] h = new double[xtx.length];
    for (int i = 0; i < c; i++) {
      h[i * c + i] = xtx[i * c + i] * scale;
      for (int j = i + 1; j < c; j++) {
        double v = (xtx[i * c + j] + xtx[j * c + i]) / 2 * scale;
        h[i * c + j] = v;
        h[j * c + i] = v;
      }
    }
    return h;
  }

  @Override
  public String toString() {
    return "SparseGptReconstructor[" + settings + "]";
  }
}
