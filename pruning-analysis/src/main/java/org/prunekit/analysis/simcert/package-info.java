/**
 * SimCert: probabilistic certificates that a pruned or quantised network stays behaviourally
 * similar to its original on an input box.
 *
 * <p>{@link org.prunekit.analysis.simcert.SimCert} compiles an original and a compressed graph
 * (a chain of linear, convolution, batch-norm, ReLU and max/average-pool layers; flatten, reshape,
 * identity and dropout pass through) into a {@link org.prunekit.analysis.simcert.DualNetwork},
 * propagates interval and DeepPoly-style linear bounds through both networks and through their
 * difference, turns the linear bounds on the output difference into variance-aware probabilistic
 * bounds with Bernstein's inequality ({@link org.prunekit.analysis.simcert.Bernstein}), applies a
 * union bound over the outputs and bisects the input box until the property holds or a depth
 * limit is reached. {@link org.prunekit.analysis.simcert.MonteCarloCheck} samples the box and runs
 * both graphs on DJL to check a certificate empirically. The exact definitions are in
 * docs/simcert.md.
 */
package org.prunekit.analysis.simcert;
