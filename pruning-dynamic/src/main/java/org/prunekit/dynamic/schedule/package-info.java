/**
 * Reusable step schedules for any iterative sampler (spec 3.5 (b), (d), (e), from FlashU's code):
 *
 * <ul>
 *   <li>{@link org.prunekit.dynamic.schedule.HybridPolicy}: the pruned network for most steps, the
 *       full network for the last {@code τ} steps;
 *   <li>{@link org.prunekit.dynamic.schedule.HeadCachePolicy} and {@link
 *       org.prunekit.dynamic.schedule.HeadCache}: the diffusion-head cache (store every {@code
 *       T_cache} steps, reuse in between, off in the full phase);
 *   <li>{@link org.prunekit.dynamic.schedule.GuidanceSchedule}: the piecewise-constant guidance
 *       scale;
 *   <li>{@link org.prunekit.dynamic.schedule.SamplerSchedule} / {@link
 *       org.prunekit.dynamic.schedule.FlashUSchedule}: one {@link
 *       org.prunekit.dynamic.schedule.StepPlan} per step combining the three;
 *   <li>{@link org.prunekit.dynamic.schedule.ScheduledEulerSampler}: a fixed-step Euler sampler over
 *       a split velocity network (cacheable trunk + head) that follows a schedule and counts the
 *       network evaluations it really ran.
 * </ul>
 *
 * <p>User guide: {@code docs/dynamic-routing.md}.
 */
package org.prunekit.dynamic.schedule;
