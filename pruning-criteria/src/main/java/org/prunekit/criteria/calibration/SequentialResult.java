package org.prunekit.criteria.calibration;

import java.util.Objects;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.criteria.PruningSpec;

/**
 * What {@link SequentialPruner#prune} did.
 *
 * @param method the criterion's or reconstructor's short name
 * @param mode how statistics were gathered
 * @param calibration the calibration set, or {@code null} when the method needs none
 * @param masks the masks now attached (one per target weight)
 * @param report the sparsity of the target weights
 * @param spec the spec pruned with
 */
public record SequentialResult(String method, CalibrationMode mode, CalibrationSet calibration, MaskSet masks,
    SparsityReport report, PruningSpec spec) {
  /** Checks the required parts. */
  public SequentialResult {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(masks, "masks");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(spec, "spec");
  }

  /**
   * A provenance builder filled with the method, the calibration seed (0 without calibration), the
   * settings (sparsity, pattern, scope, threshold mode, calibration mode, target count, calibration
   * description) and, when calibration was used, its sample count and SHA-256. Add more settings
   * or versions before {@code build()}.
   */
  public Provenance.Builder provenance() {
    Provenance.Builder b = Provenance.builder()
        .setCriterion(method)
        .setSeed(calibration == null ? 0 : calibration.seed())
        .optSetting("sparsity", Double.toString(spec.sparsity()))
        .optSetting("pattern", spec.pattern().toString())
        .optSetting("scope", spec.scope().name())
        .optSetting("threshold_mode", spec.thresholdMode().name())
        .optSetting("targets", Integer.toString(masks.size()));
    if (calibration != null) {
      b.optSetting("calibration_mode", mode.name()).optSetting("calibration", calibration.description());
      calibration.recordIn(b);
    }
    return b;
  }
}
