/** Heap tensors, the small TensorData interface criteria consume, and the conversions to and from DJL and ND4J arrays. */
package org.prunekit.core.tensor;
