/**
 * Element masks over graph parameters: the immutable {@link org.prunekit.core.mask.MaskSet}, their
 * all-or-nothing application ({@link org.prunekit.core.mask.Masks}) and the per-parameter
 * {@link org.prunekit.core.mask.SparsityReport}.
 *
 * <p>Mask convention (spec section 0.2): a mask has the parameter's shape and holds 1 to keep and
 * 0 to prune; sparsity is the fraction of zeros.
 */
package org.prunekit.core.mask;
