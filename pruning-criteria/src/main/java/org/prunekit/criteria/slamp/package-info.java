/**
 * SLAMP (spec 3.6, PROPOSAL formulas): LAMP for spiking networks. {@link
 * org.prunekit.criteria.slamp.SpikeStatistics} collects per-step input norms over calibration
 * data, {@link org.prunekit.criteria.slamp.TemporalFactors} turns them into the temporal factor
 * {@code kappa} of each layer, and {@link org.prunekit.criteria.slamp.SlampAllocation} allocates
 * sparsity over {@code kappa}-scaled LAMP scores (exactly LAMP when {@code T = 1}).
 */
package org.prunekit.criteria.slamp;
