package org.prunekit.dynamic.dance;

/**
 * The three keep thresholds of one gated conv layer, in units of that layer's running mean
 * activation magnitude {@code μ_l} (spec §3.1): frame {@code t} is dropped when its mean {@code
 * |a|} is below {@code frame * μ_l}, channel {@code c} when its mean is below {@code channel *
 * μ_l}, element when {@code |a| < feature * μ_l}.
 *
 * @param frame frame threshold, in {@code [0, MAX]}
 * @param channel channel threshold, in {@code [0, MAX]}
 * @param feature element threshold, in {@code [0, MAX]}
 */
public record LayerThresholds(float frame, float channel, float feature) {
  /** Largest accepted threshold (a threshold of 16 μ already drops practically everything). */
  public static final float MAX = 16f;
  /** Keep everything. */
  public static final LayerThresholds KEEP_ALL = new LayerThresholds(0, 0, 0);

  /** Validates that each threshold is finite and in {@code [0, MAX]}. */
  public LayerThresholds {
    check("frame", frame);
    check("channel", channel);
    check("feature", feature);
  }

  private static void check(String name, float v) {
    if (!Float.isFinite(v) || v < 0 || v > MAX) {
      throw new IllegalArgumentException("DANCE " + name + " threshold must be finite and in [0, " + MAX + "], got " + v);
    }
  }
}
