/**
 * Importing DJL models into PruneKit graphs: {@link org.prunekit.core.djl.DjlBlockImporter}
 * turns an initialised DJL {@link ai.djl.nn.Block} tree (sequential and parallel blocks, linear,
 * convolution, normalisation, activation, pooling, flatten and dropout blocks) into a {@link
 * org.prunekit.core.graph.Graph} with the block's weights copied to the heap, and refuses, naming
 * the block, whatever it cannot see inside.
 */
package org.prunekit.core.djl;
