package org.prunekit.dynamic.schedule;

import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;

/**
 * Fixed-step Euler integration of {@code dx/dt = v(x, t | class)} from {@code t = 0} to {@code 1}
 * that follows a {@link SamplerSchedule}: step {@code k} (1-indexed) evaluates at {@code t = (k -
 * 1) / T}, calls the pruned or full network, reuses the trunk's cached features when the plan says
 * so (really skipping the trunk), and with guidance on runs the conditional and unconditional rows
 * in one batch and mixes {@code v = v_u + s(k) (v_c - v_u)}.
 *
 * <pre>{@code
 * ScheduledEulerSampler.Result r = ScheduledEulerSampler.sample(field, FlashUSchedule.flashUDefault(),
 *     noise, classes, true);
 * r.samples();  r.costPerSample().macs();  r.trunkReused();
 * }</pre>
 */
public final class ScheduledEulerSampler {
  private ScheduledEulerSampler() {}

  /**
   * The samples and what they cost.
   *
   * @param samples {@code [n, d]} states at {@code t = 1}
   * @param costPerSample MACs and bytes per sample summed over steps (two network rows per sample
   *     with guidance), network evaluations = head calls (one per step), counters {@code
   *     trunkComputed}, {@code trunkReused}, {@code fullSteps}
   * @param trunkComputed steps that ran the trunk
   * @param trunkReused steps that reused the cached trunk output
   */
  public record Result(Tensor samples, InferenceCost costPerSample, int trunkComputed, int trunkReused) {}

  /**
   * Runs the sampler.
   *
   * @param field the velocity field
   * @param schedule the per-step plan
   * @param x0 initial states {@code [n, d]} (not changed)
   * @param classes one condition per row, each {@code >= 0} when {@code guidance} is on
   * @param guidance classifier-free guidance with the plans' scales (unconditional rows use class
   *     {@code -1}); off: the conditional velocity alone
   * @throws IllegalArgumentException on mismatched shapes, or naming the step, row and column when
   *     the field returns a NaN or infinite velocity (no result is returned then)
   */
  public static Result sample(SplitVelocityField field, SamplerSchedule schedule, Tensor x0, int[] classes,
      boolean guidance) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(schedule, "schedule");
    int d = field.dim();
    if (x0.shape().rank() != 2 || x0.shape().get(1) != d || classes.length != x0.shape().get(0)) {
      throw new IllegalArgumentException("sampler needs x0 [n, " + d + "] and n classes, got " + x0.shape() + " and "
          + classes.length);
    }
    int n = classes.length;
    int rows = guidance ? 2 * n : n;
    int[] cls = new int[rows];
    for (int i = 0; i < n; i++) {
      if (guidance && classes[i] < 0) {
        throw new IllegalArgumentException("row " + i + " has class " + classes[i] + "; guidance needs a condition");
      }
      cls[i] = classes[i];
      if (guidance) {
        cls[n + i] = -1;
      }
    }
    float[] x = x0.data().clone();
    int steps = schedule.totalSteps();
    double dt = 1.0 / steps;
    InferenceCost cost = InferenceCost.ZERO;
    int fullSteps = 0;
    try (HeadCache<Tensor> cache = new HeadCache<>()) {
      for (int k = 1; k <= steps; k++) {
        StepPlan plan = schedule.plan(k);
        double t = (k - 1) * dt;
        float[] in = guidance ? twice(x) : x;
        Tensor xs = new Tensor(new Shape(rows, d), in);
        NetworkChoice net = plan.network();
        int before = cache.computed();
        Tensor feats = cache.get(plan, () -> field.trunk(net, xs, t, cls));
        if (cache.computed() > before) {
          cost = cost.plus(scaled(field.trunkCost(net), rows, 0));
        }
        Tensor v = field.head(net, feats, xs, t, cls);
        cost = cost.plus(scaled(field.headCost(net), rows, 1));
        fullSteps += net == NetworkChoice.FULL ? 1 : 0;
        if (v.shape().rank() != 2 || v.shape().get(0) != rows || v.shape().get(1) != d) {
          throw new IllegalArgumentException("velocity field returned " + v.shape() + " at step " + k + ", expected ["
              + rows + ", " + d + "]");
        }
        float[] vel = v.data();
        for (int i = 0; i < n * d; i++) {
          double vi = guidance ? vel[n * d + i] + plan.guidanceScale() * (vel[i] - vel[n * d + i]) : vel[i];
          if (!Double.isFinite(vi)) {
            throw new IllegalArgumentException("velocity field returned a non-finite velocity " + vi + " at step " + k
                + " (t = " + t + "), row " + (i / d) + ", column " + (i % d));
          }
          x[i] += (float) (dt * vi);
        }
      }
      InferenceCost per = new InferenceCost(cost.macs() / n, cost.memoryAccessBytes() / n, steps, java.util.Map.of())
          .withCounter("trunkComputed", cache.computed()).withCounter("trunkReused", cache.reused())
          .withCounter("fullSteps", fullSteps);
      return new Result(new Tensor(new Shape(n, d), x), per, cache.computed(), cache.reused());
    }
  }

  private static float[] twice(float[] x) {
    float[] y = new float[2 * x.length];
    System.arraycopy(x, 0, y, 0, x.length);
    System.arraycopy(x, 0, y, x.length, x.length);
    return y;
  }

  private static InferenceCost scaled(InferenceCost c, int rows, int nfe) {
    return InferenceCost.of(c.macs() * rows, c.memoryAccessBytes() * rows, nfe);
  }
}
