/**
 * Gradient-based importance of structures: first-order Taylor (spec B5, Molchanov et al. 2019)
 * and the AGF kinetic utility (spec 3.3, a PROPOSAL there), at channel, neuron and head
 * granularity.
 *
 * <ul>
 *   <li>{@link org.prunekit.criteria.taylor.FeatureTaylor}: the per-sample inner products {@code
 *       <A_s(x), G_s(x)>} of a node's output and the loss gradient there, grouped by a {@link
 *       org.prunekit.criteria.taylor.UnitLayout};
 *   <li>{@link org.prunekit.criteria.taylor.TaylorImportance}: the squared batch sum (gate form),
 *       averaged over mini-batches, with the reference's momentum and normalisation helpers;
 *   <li>{@link org.prunekit.criteria.taylor.AgfUtility}: the mean over samples of the absolute
 *       per-sample term;
 *   <li>{@link org.prunekit.criteria.taylor.TaylorCapture}: feeds both from calibration batches on
 *       the DJL engine;
 *   <li>{@link org.prunekit.criteria.taylor.UnitSelection}: per-layer or global unit allocation,
 *       never emptying a layer;
 *   <li>{@link org.prunekit.criteria.taylor.TaylorCriterion}: the element-wise {@code (w g)^2}
 *       score registered as {@code "taylor"}.
 * </ul>
 */
package org.prunekit.criteria.taylor;
