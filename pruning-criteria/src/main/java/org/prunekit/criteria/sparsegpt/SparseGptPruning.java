package org.prunekit.criteria.sparsegpt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.pattern.NmPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SparseGPT over the targets of a graph, all-or-nothing: the entry point for specs naming {@link
 * SparseGptCriterion} ({@code "sparsegpt"}).
 *
 * <pre>{@code
 * Map<String, HessianAccumulator> h = ...; // one per target, fed with that layer's calibration inputs
 * PruningResult r = SparseGptPruning.prune(graph, PruningSpec.of("sparsegpt", 0.5), h);
 * }</pre>
 *
 * <p>Every target gets its weight replaced by SparseGPT's updated weight and the mask attached.
 * The layers are independent here (each with the Hessian it was given); the sequential procedure
 * where layer {@code i+1} is calibrated on the outputs of the already pruned layer {@code i}
 * belongs to the calibration pipeline, which calls {@link SparseGpt} per layer.
 *
 * <p>The spec's sparsity (per block) or N:M pattern, threshold mode and targets apply; the scope
 * must be {@link Scope#LAYER} for unstructured specs (SparseGPT selects over {@code rows x block}
 * slices; ROW and GLOBAL have no SparseGPT meaning) and LAYER or ROW for N:M. A parameter that
 * already has a mask keeps its pruned entries pruned (they are chosen first).
 */
public final class SparseGptPruning {
  private static final Logger LOG = LoggerFactory.getLogger(SparseGptPruning.class);

  private SparseGptPruning() {}

  /** Prunes with the default block size (128) and dampening (0.01). */
  public static PruningResult prune(Graph graph, PruningSpec spec, Map<String, HessianAccumulator> hessians) {
    return prune(graph, spec, hessians, SparseGpt.defaults());
  }

  /**
   * Prunes every target of {@code spec} with SparseGPT, updating weights and attaching masks.
   *
   * @param hessians per target, keyed by qualified parameter name ({@code "fc.weight"}) or node
   *     name ({@code "fc"})
   * @param settings block size and dampening (its threshold mode is replaced by the spec's)
   * @throws IllegalArgumentException naming the parameter, value or setting at fault if the spec
   *     does not name {@code "sparsegpt"}, its scope does not apply, a target has no Hessian or one
   *     of the wrong width or with no tokens, a weight or Hessian is not finite, a grouped conv is
   *     targeted, N:M's M does not divide a width, or a Hessian is not positive definite after
   *     dampening; the graph is then unchanged
   */
  public static PruningResult prune(Graph graph, PruningSpec spec, Map<String, HessianAccumulator> hessians,
      SparseGpt settings) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(hessians, "hessians");
    Objects.requireNonNull(settings, "settings");
    if (!(spec.criterion() instanceof SparseGptCriterion)) {
      throw new IllegalArgumentException("SparseGptPruning runs SparseGPT, but the spec names criterion '"
          + spec.criterion().name() + "'; use PruningSpec.of(\"sparsegpt\", ...) or Pruning.prune for other criteria");
    }
    NmPattern nm = spec.pattern() instanceof NmPattern n ? n : null;
    if (nm == null && spec.scope() != Scope.LAYER) {
      throw new IllegalArgumentException("SparseGPT selects per block of whole layers; scope " + spec.scope()
          + " does not apply (use LAYER)");
    }
    SparseGpt op = SparseGpt.builder().optBlockSize(settings.blockSize()).optPercDamp(settings.percDamp())
        .optThresholdMode(spec.thresholdMode()).build();
    List<Parameter> targets = spec.targets().resolve(graph);
    List<double[]> hs = new ArrayList<>();
    for (Parameter p : targets) {
      Masks.requireFinite(p);
      if (graph.node(p.nodeName()).op() instanceof Conv c && c.groups() != 1) {
        throw new IllegalArgumentException("SparseGPT on '" + p.qualifiedName() + "': grouped conv (groups="
            + c.groups() + ") is not supported; its output rows read different input columns");
      }
      HessianAccumulator h = hessians.get(p.qualifiedName());
      if (h == null) {
        h = hessians.get(p.nodeName());
      }
      if (h == null) {
        throw new IllegalArgumentException("SparseGPT needs a Hessian for '" + p.qualifiedName()
            + "', but none was given (keys: " + hessians.keySet() + ")");
      }
      int cols = SparseGptKernel.columns(p.qualifiedName(), p.shape());
      if (h.width() != cols) {
        throw new IllegalArgumentException("Hessian for '" + p.qualifiedName() + "' is " + h.width() + " x "
            + h.width() + ", but weight " + p.shape() + " has input width " + cols);
      }
      if (nm != null) {
        nm.requireDivides(p.qualifiedName(), cols);
      }
      hs.add(h.hessian()); // rejects empty calibration
    }
    Map<String, SparseGptResult> results = new LinkedHashMap<>();
    for (int t = 0; t < targets.size(); t++) {
      Parameter p = targets.get(t);
      results.put(p.qualifiedName(), op.run(p.qualifiedName(), p.value(), hs.get(t), spec.sparsity(), nm,
          p.hasMask() ? p.mask() : null));
    }
    Map<String, Tensor> masks = new LinkedHashMap<>();
    results.forEach((k, v) -> masks.put(k, v.mask()));
    MaskSet set = MaskSet.of(masks);
    SparsityReport report = apply(graph, targets, results, set);
    for (Map.Entry<String, SparseGptResult> e : results.entrySet()) {
      LOG.debug("sparsegpt '{}': {} pruned, loss estimate {}, {} dead input column(s)", e.getKey(),
          e.getValue().prunedCount(), e.getValue().totalLoss(), e.getValue().deadColumns().length);
    }
    LOG.info("pruned {} parameter(s) with 'sparsegpt' at sparsity {} ({}, {}, block {}, percdamp {}): {} of {} "
        + "weights masked", targets.size(), spec.sparsity(), spec.pattern(), spec.thresholdMode(), op.blockSize(),
        op.percDamp(), report.maskedZeros(), report.numel());
    return new PruningResult(set, report);
  }

  /** Sets the new weights and masks; on any failure restores the old ones. */
  private static SparsityReport apply(Graph graph, List<Parameter> targets, Map<String, SparseGptResult> results,
      MaskSet set) {
    List<Tensor> oldValues = new ArrayList<>();
    List<Tensor> oldMasks = new ArrayList<>();
    for (Parameter p : targets) {
      oldValues.add(p.value());
      oldMasks.add(p.mask());
    }
    try {
      for (Parameter p : targets) {
        p.setValue(results.get(p.qualifiedName()).weight());
      }
      return Masks.apply(graph, set);
    } catch (RuntimeException e) {
      for (int t = 0; t < targets.size(); t++) {
        targets.get(t).setValue(oldValues.get(t));
        targets.get(t).setMask(oldMasks.get(t));
      }
      throw e;
    }
  }
}
