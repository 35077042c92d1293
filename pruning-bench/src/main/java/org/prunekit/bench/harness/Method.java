package org.prunekit.bench.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prunekit.core.graph.Graph;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.structured.GroupImportance;
import org.prunekit.criteria.structured.GroupImportances;
import org.prunekit.criteria.structured.StructuredCalibration;
import org.prunekit.criteria.structured.StructuredPruning;
import org.prunekit.criteria.structured.StructuredSpec;

/** One pruning configuration of a sweep (or the dense baseline), resolved and validated. */
abstract sealed class Method permits Method.Dense, Method.Unstructured, Method.Structured {
  /** The baseline: nothing pruned. */
  static final Method DENSE = new Dense();

  /** Name in the row ({@link SweepRow#method()}). */
  abstract String name();

  /** {@code dense}, {@code unstructured} or {@code structured}. */
  abstract String kind();

  /** The requested target (0 for the baseline). */
  abstract double target();

  /** True if the criterion needs calibration activations. */
  boolean needsActivations() {
    return false;
  }

  /** True if the criterion needs calibration gradients. */
  boolean needsGradients() {
    return false;
  }

  /** Prunes {@code copy} (a copy of the model's graph) and returns the pruned graph. */
  abstract Graph apply(Graph copy, Calibration calibration, ModelSource.Loaded model) throws IOException;

  /** Label for progress and skipped entries, e.g. {@code magnitude 0.5}. */
  String label() {
    return kind().equals("dense") ? "dense" : String.format(Locale.ROOT, "%s %s", name(), fmt(target()));
  }

  static String fmt(double v) {
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /**
   * Every configuration of {@code spec} (without the baseline), criteria resolved now.
   *
   * @throws IllegalArgumentException naming an unknown or unsupported criterion
   */
  static List<Method> all(SweepSpec spec) {
    List<Method> out = new ArrayList<>();
    for (String c : spec.criteria()) {
      Criterion criterion = Criteria.byName(c);
      if (criterion.requirements().contains(Criterion.Requirement.GRADIENT)) {
        throw new IllegalArgumentException("criterion '" + criterion.name()
            + "' needs per-weight gradients, which the bench harness does not collect; use prunekit prune for it");
      }
      for (double s : spec.sparsities()) {
        out.add(new Unstructured(criterion, s));
      }
    }
    for (String c : spec.structuredCriteria()) {
      GroupImportance imp = GroupImportances.byName(c);
      for (double m : spec.macBudgets()) {
        out.add(new Structured(imp, m));
      }
    }
    return out;
  }

  static final class Dense extends Method {
    @Override
    String name() {
      return SweepRow.DENSE;
    }

    @Override
    String kind() {
      return "dense";
    }

    @Override
    double target() {
      return 0;
    }

    @Override
    Graph apply(Graph copy, Calibration calibration, ModelSource.Loaded model) {
      return copy;
    }
  }

  static final class Unstructured extends Method {
    private final Criterion criterion;
    private final double sparsity;

    Unstructured(Criterion criterion, double sparsity) {
      this.criterion = criterion;
      this.sparsity = sparsity;
    }

    @Override
    String name() {
      return criterion.name();
    }

    @Override
    String kind() {
      return "unstructured";
    }

    @Override
    double target() {
      return sparsity;
    }

    @Override
    boolean needsActivations() {
      return criterion.requirements().contains(Criterion.Requirement.INPUT_COLUMN_NORMS);
    }

    @Override
    Graph apply(Graph copy, Calibration calibration, ModelSource.Loaded model) throws IOException {
      PruningSpec spec = PruningSpec.of(criterion.name(), sparsity);
      ScoringInputs inputs = needsActivations() ? calibration.activations(copy, spec.targets(), model) : ScoringInputs.none();
      Pruning.prune(copy, spec, inputs);
      return copy;
    }
  }

  static final class Structured extends Method {
    private final GroupImportance importance;
    private final double macBudget;

    Structured(GroupImportance importance, double macBudget) {
      this.importance = importance;
      this.macBudget = macBudget;
    }

    @Override
    String name() {
      return "structured:" + importance.name();
    }

    @Override
    String kind() {
      return "structured";
    }

    @Override
    double target() {
      return macBudget;
    }

    @Override
    boolean needsGradients() {
      return importance.requiresGradients();
    }

    @Override
    Graph apply(Graph copy, Calibration calibration, ModelSource.Loaded model) throws IOException {
      StructuredSpec spec = StructuredSpec.builder().setImportance(importance).setMacBudget(macBudget).build();
      StructuredCalibration cal = needsGradients() ? calibration.gradients(copy, model) : StructuredCalibration.none();
      return StructuredPruning.prune(copy, spec, cal).pruned();
    }
  }
}
