/**
 * Reading and writing models and tensors: safetensors ({@link org.prunekit.core.io.SafetensorsReader},
 * {@link org.prunekit.core.io.SafetensorsWriter}), NumPy npy/npz ({@link
 * org.prunekit.core.io.NpyReader}, {@link org.prunekit.core.io.NpzReader}, {@link
 * org.prunekit.core.io.NpyWriter}), loading weights into a graph by a name mapping ({@link
 * org.prunekit.core.io.WeightLoader}), and PruneKit's own model format ({@link
 * org.prunekit.core.io.ModelFormat}) with its {@link org.prunekit.core.io.Provenance} record.
 *
 * <p>Every reader validates a file completely before it returns anything, and reports a malformed
 * file with an {@link org.prunekit.core.io.InvalidFormatException} naming the file and the tensor,
 * field or offset at fault. Writers write atomically (temporary file, then move).
 */
package org.prunekit.core.io;
