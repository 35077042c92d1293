/**
 * Input-aware (dynamic) pruning at inference: controllers that decide per input which frames,
 * channels, tokens, layers, solver steps or experts to spend work on, and that report the work
 * actually done as an {@link org.prunekit.dynamic.InferenceCost}. Controllers are found by short
 * name through {@link org.prunekit.dynamic.Controllers}; see {@link
 * org.prunekit.dynamic.ControllerProvider} for how to add one.
 */
package org.prunekit.dynamic;
