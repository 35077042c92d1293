/**
 * Structural pruning: coupled groups and physical removal.
 *
 * <p>{@link org.prunekit.core.structure.DependencyGraph#build} derives from a {@link
 * org.prunekit.core.graph.Graph} the {@link org.prunekit.core.structure.PruningGroup}s: the
 * parameter slices that must go together when one channel, neuron, head or hidden dimension is
 * removed (the dependency-graph idea of Torch-Pruning, written from scratch for PruneKit's graph).
 * Channels the rules cannot follow are reported as {@link
 * org.prunekit.core.structure.Unprunable} with the node at fault and the reason.
 *
 * <p>A {@link org.prunekit.core.structure.StructuralPlan} names which units of which groups to
 * remove; {@link org.prunekit.core.structure.PhysicalPruner#apply} validates it completely and
 * then builds a new, smaller graph (smaller ops, smaller tensors, sliced masks), leaving the
 * original graph unchanged.
 *
 * <h2>Coupling rules</h2>
 *
 * Every tensor's channel axis (axis 1 for convolution-style tensors, the last axis for
 * linear/transformer tensors; the same for rank 2) is followed through the graph:
 *
 * <ul>
 *   <li>conv / linear output channels start a group (weight rows, bias); BatchNorm, LayerNorm and
 *       RMSNorm parameters follow their input's channels; the next conv / linear / attention reads
 *       them as input columns;
 *   <li>activations, pooling, global pooling, dropout and identity pass channels through; softmax
 *       over the channel axis makes them unprunable; so do the spiking ops {@code lif} (one neuron
 *       per element), {@code timemean} and {@code timeencode} REPEAT (time moves along the batch
 *       axis only); {@code timeencode} UNFOLD drops the time axis 1 (later axes shift down);
 *   <li>{@code add} and {@code mul} unite the channels of all their inputs (residuals, SwiGLU
 *       gates); {@code concat} along the channel axis maps index ranges (offsets) to its inputs,
 *       along another axis it unites the inputs' channels;
 *   <li>a depthwise convolution (groups = input channels, any channel multiplier {@code m}) couples
 *       input channel {@code c} with its output channels {@code c*m .. c*m+m-1}; a grouped
 *       convolution that is not depthwise makes its input and output channels unprunable (removing
 *       channels would unbalance its groups);
 *   <li>flatten, and a reshape that only flattens or keeps the channel axis and everything before
 *       it, map channel {@code c} of {@code [N, C, H, W]} to features {@code c*H*W .. (c+1)*H*W-1};
 *       any other reshape is ambiguous and makes the channels unprunable;
 *   <li>attention: one unit is a kv head with its query heads (with MHA, one head): q/k/v rows and
 *       biases and o columns; the model dimension is read by q/k/v columns and written by o rows,
 *       and since the op has one model dimension, output dimension {@code i} is coupled with input
 *       dimension {@code i} (in a transformer the residual stream unites them anyway); single query
 *       heads inside a GQA group are not separately removable (every kv head keeps equal groups);
 *   <li>an embedding's columns start the hidden-dimension group that residual adds and norms carry;
 *   <li>channels that reach a graph output or come from a graph input are unprunable.
 * </ul>
 *
 * <p>Pruning a dimension that a LayerNorm or RMSNorm normalises over changes the norm's statistics,
 * so such a group (noted in {@link org.prunekit.core.structure.PruningGroup#notes()}) does not
 * preserve outputs exactly; every other group does: the smaller graph computes what the original
 * computes with the removed units' producing slices zeroed.
 */
package org.prunekit.core.structure;
