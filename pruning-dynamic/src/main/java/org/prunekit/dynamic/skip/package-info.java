/**
 * Dynamic layer skipping for transformer encoders (FlashU, spec §3.5 (c)): {@link
 * org.prunekit.dynamic.skip.LayerSkipper} scores each block by {@link
 * org.prunekit.dynamic.skip.BlockImportance} ({@code 1 - cos(input, output)}) every {@code period}
 * calls and does not run the least important blocks in between.
 */
package org.prunekit.dynamic.skip;
