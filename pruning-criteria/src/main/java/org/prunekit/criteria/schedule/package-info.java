/**
 * Sparsity schedules for gradual pruning during training: {@link
 * org.prunekit.criteria.schedule.PolynomialDecaySchedule} (Zhu and Gupta's cubic schedule, spec B6,
 * tfmot's {@code PolynomialDecay}). The training-loop listener that applies it lives elsewhere.
 */
package org.prunekit.criteria.schedule;
