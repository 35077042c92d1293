package org.prunekit.dynamic.schedule;

import java.util.List;
import java.util.Objects;

/**
 * FlashU's adaptive guidance scale (spec 3.5 (e)): piecewise-constant {@code s(step)} from a list of
 * {@code (numSteps, scale)} phases in order; steps beyond the listed phases fall back to the base
 * scale {@code s0}. Classifier-free guidance then mixes {@code v = v_uncond + s(step) * (v_cond -
 * v_uncond)} ({@link #guide}). Default (FlashU's config, Table 7): {@code [(24, 7.5), (11, 10.0)]}
 * with {@code s0 = 10}: 7.5 on steps 1-24, 10 after.
 *
 * @param phases the phases, each with {@code numSteps >= 1} and a finite scale
 * @param baseScale {@code s0}, finite
 */
public record GuidanceSchedule(List<Phase> phases, double baseScale) {
  /**
   * One phase.
   *
   * @param numSteps steps in the phase, {@code >= 1}
   * @param scale the guidance scale during the phase, finite
   */
  public record Phase(int numSteps, double scale) {
    /** Validates the phase. */
    public Phase {
      if (numSteps < 1 || !Double.isFinite(scale)) {
        throw new IllegalArgumentException("guidance phase needs numSteps >= 1 and a finite scale, got (" + numSteps
            + ", " + scale + ")");
      }
    }
  }

  /** Validates and copies. */
  public GuidanceSchedule {
    phases = List.copyOf(Objects.requireNonNull(phases, "phases"));
    if (!Double.isFinite(baseScale)) {
      throw new IllegalArgumentException("base guidance scale must be finite, got " + baseScale);
    }
  }

  /** A constant scale {@code s0} (no phases). */
  public static GuidanceSchedule constant(double s0) {
    return new GuidanceSchedule(List.of(), s0);
  }

  /** FlashU's default: {@code [(24, 7.5), (11, 10.0)]}, {@code s0 = 10}. */
  public static GuidanceSchedule flashUDefault() {
    return new GuidanceSchedule(List.of(new Phase(24, 7.5), new Phase(11, 10.0)), 10.0);
  }

  /**
   * The scale of 1-indexed step {@code step}.
   *
   * @throws IllegalArgumentException if {@code step < 1}
   */
  public double scale(int step) {
    if (step < 1) {
      throw new IllegalArgumentException("steps are 1-indexed, got " + step);
    }
    int end = 0;
    for (Phase p : phases) {
      end += p.numSteps();
      if (step <= end) {
        return p.scale();
      }
    }
    return baseScale;
  }

  /**
   * Classifier-free guidance, element-wise: {@code out[i] = uncond[i] + s * (cond[i] - uncond[i])}.
   *
   * @throws IllegalArgumentException if the arrays differ in length or a value is NaN (naming the index)
   */
  public static float[] guide(float[] uncond, float[] cond, double s) {
    if (uncond.length != cond.length) {
      throw new IllegalArgumentException("guidance needs equal lengths, got " + uncond.length + " and " + cond.length);
    }
    float[] out = new float[cond.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (uncond[i] + s * (cond[i] - uncond[i]));
      if (Float.isNaN(out[i])) {
        throw new IllegalArgumentException("guided velocity is NaN at index " + i + " (cond " + cond[i] + ", uncond "
            + uncond[i] + ")");
      }
    }
    return out;
  }
}
