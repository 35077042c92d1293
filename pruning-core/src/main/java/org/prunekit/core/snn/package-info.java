/**
 * Spiking neural networks on the graph: the time layout of every tensor ({@link
 * org.prunekit.core.snn.TemporalLayout}) and synaptic-operation counting from measured spike
 * activity ({@link org.prunekit.core.snn.SopCounter}). The spiking ops themselves are {@link
 * org.prunekit.core.graph.op.Lif}, {@link org.prunekit.core.graph.op.TimeEncode} and {@link
 * org.prunekit.core.graph.op.TimeMean}; time is folded into the batch axis, time-major ({@code
 * [T*B, ...]}).
 */
package org.prunekit.core.snn;
