/**
 * Sparsity schedules for gradual pruning during training: {@link
 * org.prunekit.criteria.schedule.PolynomialDecaySchedule} (Zhu and Gupta's cubic schedule, spec B6,
 * tfmot's {@code PolynomialDecay}) and {@link
 * org.prunekit.criteria.schedule.GradualPruningListener}, the DJL training listener that applies
 * it to a {@link org.prunekit.core.exec.GraphBlock} (re-prunes on the schedule's update steps,
 * counting training batches, and holds the masks through the optimizer step).
 */
package org.prunekit.criteria.schedule;
