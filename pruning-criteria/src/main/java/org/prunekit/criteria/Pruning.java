package org.prunekit.criteria;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.pattern.NmSelector;
import org.prunekit.criteria.select.MaskSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-call pruning: resolve targets, score, select, apply (all-or-nothing), report.
 *
 * <pre>{@code
 * PruningResult r = Pruning.prune(graph, PruningSpec.of("magnitude", 0.5, Scope.ROW));
 * System.out.println(r.report());
 * }</pre>
 *
 * <p>Every check (targets exist, weights are finite, required calibration inputs are present,
 * scores have the right shape and no NaN) runs before the graph is changed; on an exception the
 * graph is unchanged.
 *
 * <p>With an N:M pattern ({@link PruningSpec#pattern()}) every target's input width must be a
 * multiple of M (checked for all targets first) and {@link NmSelector} picks the mask.
 *
 * <p>For {@link Scope#ROW} without an N:M pattern, criteria of the form {@code |W| * c} ({@link
 * ColumnScaledMagnitude}: magnitude, Wanda) are selected row by row without a score tensor ({@link
 * org.prunekit.criteria.select.FusedRowSelect}); the masks are the same. Parameters that already
 * carry a mask take the general path.
 *
 * <p>Masks never regrow: on a parameter that already carries a mask, entries it prunes score
 * {@code -Infinity} (so they are pruned first) and the new mask is ANDed with the old one. At a
 * target sparsity below the current one the result therefore keeps the earlier, higher sparsity.
 */
public final class Pruning {
  private static final Logger LOG = LoggerFactory.getLogger(Pruning.class);

  private Pruning() {}

  /** Prunes with a weight-only criterion. */
  public static PruningResult prune(Graph graph, PruningSpec spec) {
    return prune(graph, spec, ScoringInputs.none());
  }

  /**
   * Prunes {@code graph} in place as {@code spec} says, using {@code inputs} for criteria that need
   * calibration statistics or gradients.
   *
   * @throws IllegalArgumentException naming the node, parameter, index or value at fault; the graph
   *     is then unchanged
   */
  public static PruningResult prune(Graph graph, PruningSpec spec, ScoringInputs inputs) {
    MaskSet masks = computeMasks(graph, spec, inputs);
    Masks.apply(graph, masks);
    SparsityReport report = SparsityReport.of(graph, masks.names());
    LOG.info("pruned {} parameter(s) with '{}' at sparsity {} ({}, {}, {}): {} of {} weights masked",
        masks.size(), spec.criterion().name(), spec.sparsity(), spec.pattern(), spec.scope(), spec.thresholdMode(),
        report.maskedZeros(), report.numel());
    return new PruningResult(masks, report);
  }

  /**
   * Scores and selects without changing {@code graph}: the masks {@link #prune} would attach.
   *
   * @throws IllegalArgumentException as {@link #prune}
   */
  public static MaskSet computeMasks(Graph graph, PruningSpec spec, ScoringInputs inputs) {
    List<Parameter> targets = spec.targets().resolve(graph);
    Criterion criterion = spec.criterion();
    List<ScoringContext> contexts = new ArrayList<>();
    NmPattern nm = spec.pattern() instanceof NmPattern n ? n : null;
    for (Parameter p : targets) {
      Masks.requireFinite(p);
      ScoringContext c = context(p, criterion, inputs);
      if (nm != null) {
        nm.requireDivides(p.qualifiedName(), c.columns());
      }
      contexts.add(c);
    }
    Map<String, Tensor> scores = new LinkedHashMap<>();
    Map<String, Tensor> fused = new LinkedHashMap<>();
    MaskSet.Builder existing = MaskSet.builder();
    for (int t = 0; t < targets.size(); t++) {
      Parameter p = targets.get(t);
      if (fusable(criterion, spec, p)) {
        // |W| * c scores selected row by row without the score tensor; bit for bit the path below.
        ColumnScaledMagnitude f = (ColumnScaledMagnitude) criterion;
        fused.put(p.qualifiedName(), f.rowMask(contexts.get(t), spec.sparsity(), spec.thresholdMode()));
        continue;
      }
      Tensor s = criterion.score(contexts.get(t));
      if (s == null || !s.shape().equals(p.shape())) {
        throw new IllegalArgumentException("criterion '" + criterion.name() + "' returned scores of shape "
            + (s == null ? "null" : s.shape()) + " for '" + p.qualifiedName() + "' with shape " + p.shape());
      }
      if (p.hasMask()) {
        s = s.copy();
        float[] sd = s.data();
        float[] md = p.mask().data();
        for (int i = 0; i < sd.length; i++) {
          if (md[i] == 0f) {
            sd[i] = Float.NEGATIVE_INFINITY;
          }
        }
        existing.put(p.qualifiedName(), p.mask());
      }
      scores.put(p.qualifiedName(), s);
    }
    MaskSet selected = nm != null
        ? NmSelector.select(scores, nm)
        : MaskSelector.select(scores, spec.sparsity(), spec.scope(), spec.thresholdMode());
    if (!fused.isEmpty()) {
      // Per-row selection is per tensor, so the two parts are independent; keep target order.
      Map<String, Tensor> all = new LinkedHashMap<>();
      for (Parameter p : targets) {
        String name = p.qualifiedName();
        all.put(name, fused.containsKey(name) ? fused.get(name) : selected.mask(name));
      }
      selected = MaskSet.adoptTrusted(all);
    }
    MaskSet old = existing.build();
    return old.isEmpty() ? selected : selected.and(old);
  }

  /**
   * Whether {@code p}'s ROW mask is computed by the fused row selector: a {@link
   * ColumnScaledMagnitude} criterion, {@link Scope#ROW}, no N:M pattern, no existing mask, and the
   * system property {@code prunekit.criteria.fused} not {@code false}.
   */
  static boolean fusable(Criterion criterion, PruningSpec spec, Parameter p) {
    return criterion instanceof ColumnScaledMagnitude && spec.scope() == Scope.ROW && !(spec.pattern() instanceof NmPattern)
        && !p.hasMask() && !"false".equalsIgnoreCase(System.getProperty("prunekit.criteria.fused"));
  }

  private static ScoringContext context(Parameter p, Criterion criterion, ScoringInputs inputs) {
    String name = p.qualifiedName();
    double[] norms = inputs.inputColumnSquaredNorms().get(name);
    TensorData grad = inputs.gradients().get(name);
    if (criterion.requirements().contains(Criterion.Requirement.INPUT_COLUMN_NORMS) && norms == null) {
      throw new IllegalArgumentException("criterion '" + criterion.name()
          + "' needs calibration input column norms, but none were given for '" + name + "'");
    }
    if (criterion.requirements().contains(Criterion.Requirement.GRADIENT) && grad == null) {
      throw new IllegalArgumentException(
          "criterion '" + criterion.name() + "' needs gradients, but none were given for '" + name + "'");
    }
    return ScoringContext.builderFor(p).optInputColumnSquaredNorms(norms).optGradient(grad).build();
  }
}
