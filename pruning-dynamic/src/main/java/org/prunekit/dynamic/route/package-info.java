/**
 * AGF light/heavy expert routing (spec 3.3, "hybrid routing"; the formulas are PROPOSALS there).
 *
 * <ul>
 *   <li>{@link org.prunekit.dynamic.route.AgfLightExpert}: the light expert, the dense model
 *       structurally pruned by AGF kinetic utility and physically smaller;
 *   <li>{@link org.prunekit.dynamic.route.ExpertRouter}: runs the light expert on every input and
 *       the heavy (dense) expert only on inputs whose {@link
 *       org.prunekit.dynamic.route.ConfidencePrior} (max softmax probability or entropy) crosses the
 *       threshold; per input {@link org.prunekit.dynamic.InferenceCost};
 *   <li>{@link org.prunekit.dynamic.route.ThresholdCalibration}: the exact search for the smallest
 *       cost that keeps the dense accuracy on a validation split;
 *   <li>{@link org.prunekit.dynamic.route.GraphFit}: training and fine-tuning of the experts.
 * </ul>
 *
 * <p>Registered as controller {@code "agf-route"}. User guide: {@code docs/dynamic-routing.md}.
 */
package org.prunekit.dynamic.route;
