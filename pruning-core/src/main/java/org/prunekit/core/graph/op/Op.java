package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/**
 * The operation a graph node performs: its parameters and its shape rule.
 *
 * <p>Ops are immutable values (records). Shapes passed to {@link #inferShape} include the batch
 * dimension first.
 *
 * <h2>How to add a layer type</h2>
 *
 * <ol>
 *   <li>Write a record implementing {@code Op} in this package, validating its fields in the
 *       compact constructor, and add it to the {@code permits} list below and to {@link OpTypes}
 *       (its short type name, used by the JSON format).
 *   <li>Declare its parameters in {@link #parameterSpecs()} with roles and layouts, and its shape
 *       rule in {@link #inferShape}, throwing {@link org.prunekit.core.graph.ShapeException} that
 *       names the node and the shapes.
 *   <li>Give it an initialiser in {@code org.prunekit.core.graph.Initializers} if it has
 *       parameters.
 *   <li>Execute it: add a case to {@code org.prunekit.core.exec.OpKernels}.
 *   <li>Count it: add a rule to {@code org.prunekit.core.cost.OpCosts}.
 *   <li>Couple its channels for structural pruning: see {@code
 *       org.prunekit.core.structure.DependencyGraph} (until then its channels are unprunable).
 *   <li>Test shape inference, numerics against a hand-computed value, and cost.
 * </ol>
 */
public sealed interface Op
    permits Linear, Conv, BatchNorm, LayerNorm, RmsNorm, Embedding, Attention, Activation, Pool,
        GlobalPool, Flatten, Reshape, Add, Mul, Concat, Dropout, Identity, Lif, TimeEncode, TimeMean {

  /** The short type name used in the JSON architecture format (e.g. {@code "linear"}). */
  String type();

  /** Parameters this op owns, in a fixed order. Empty for parameter-free ops. */
  default List<ParamSpec> parameterSpecs() {
    return List.of();
  }

  /** Number of inputs the op takes, or -1 for two or more. */
  default int arity() {
    return 1;
  }

  /**
   * The output shape for the given input shapes (batch first).
   *
   * @throws org.prunekit.core.graph.ShapeException naming {@code node} if the inputs do not fit
   */
  Shape inferShape(String node, List<Shape> inputs);
}
