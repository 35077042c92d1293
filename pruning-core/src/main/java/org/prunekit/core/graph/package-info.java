/** The model graph: typed nodes, named parameters with roles and layouts, shape inference and the builder. */
package org.prunekit.core.graph;
