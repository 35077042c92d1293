package org.prunekit.dynamic.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for every step of an iterative sampler (diffusion, flow matching, any fixed-step ODE
 * solver), which network to call, whether to reuse the cached output of its cacheable part, and
 * the guidance scale. A schedule is a pure function of the step; {@link HeadCache} carries the
 * stored value at run time.
 */
public interface SamplerSchedule {
  /** The number of steps {@code T}. */
  int totalSteps();

  /**
   * The plan of step {@code step}.
   *
   * @throws IllegalArgumentException if {@code step} is not in {@code [1, totalSteps()]}
   */
  StepPlan plan(int step);

  /** The plans of steps {@code 1..T}. */
  default List<StepPlan> plans() {
    List<StepPlan> out = new ArrayList<>(totalSteps());
    for (int s = 1; s <= totalSteps(); s++) {
      out.add(plan(s));
    }
    return out;
  }

  /** Checks that {@code step} is in {@code [1, totalSteps]}. */
  static void checkStep(int step, int totalSteps) {
    if (step < 1 || step > totalSteps) {
      throw new IllegalArgumentException("step " + step + " is outside [1, " + totalSteps + "]");
    }
  }
}
