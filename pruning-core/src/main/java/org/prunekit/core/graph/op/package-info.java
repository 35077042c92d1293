/** The layer types (ops) of the graph, each an immutable record with its parameters and shape rule. */
package org.prunekit.core.graph.op;
