package org.prunekit.core.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Turns an initialised DJL block tree into a PruneKit {@link Graph}, copying its weights.
 *
 * <p>Supported: {@link SequentialBlock} (nested), {@link ParallelBlock} whose join function is
 * one of {@link DjlJoins} or registered with {@link Builder#optJoin}, {@link Linear}, {@link
 * Conv1d}/{@link Conv2d}/{@link Conv3d} (symmetric padding, groups, dilation), {@link BatchNorm}
 * over axis 1 (DJL momentum {@code m} becomes PyTorch-style {@code 1 - m}), {@link LayerNorm} over
 * the last axis, {@link Dropout}, and the {@link LambdaBlock}s made by DJL's factories for ReLU,
 * GELU, sigmoid, tanh, swish(1) = SiLU, batch flatten, identity and max/avg/global pooling (see
 * {@code LambdaInspector}). Node names are the block paths joined by {@code _} ({@code
 * 02SequentialBlock_01Conv2d}); identity blocks add no node.
 *
 * <p>After each block the graph's inferred shape is checked against DJL's {@code
 * getOutputShapes}. Whatever cannot be seen inside (an unknown block class, an unidentifiable
 * lambda or join, a configuration PruneKit has no op for) fails with an {@link
 * UnsupportedBlockException} naming the block's path and class; nothing is returned half-built.
 *
 * <pre>{@code
 * block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
 * Graph g = DjlBlockImporter.importBlock(block, new Shape(1, 3, 32, 32));
 * }</pre>
 */
public final class DjlBlockImporter {
  private final Map<Function<List<NDList>, NDList>, DjlJoins.Join> joins;
  private final String inputName;

  private DjlBlockImporter(Builder b) {
    this.joins = new IdentityHashMap<>(b.joins);
    this.inputName = b.inputName;
  }

  /** A builder (defaults: input named {@code "input"}, joins of {@link DjlJoins}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Imports with the default settings.
   *
   * @param block an initialised block
   * @param inputShape the input shape, batch first, as given to {@code block.initialize}
   * @throws UnsupportedBlockException naming the block that cannot be imported
   * @throws IllegalArgumentException if the block is not initialised
   */
  public static Graph importBlock(Block block, ai.djl.ndarray.types.Shape inputShape) {
    return builder().build().convert(block, inputShape);
  }

  /**
   * Imports {@code block}.
   *
   * @param block an initialised block
   * @param inputShape the input shape, batch first
   * @throws UnsupportedBlockException naming the block that cannot be imported
   * @throws IllegalArgumentException if the block is not initialised
   */
  public Graph convert(Block block, ai.djl.ndarray.types.Shape inputShape) {
    Objects.requireNonNull(block, "block");
    if (!block.isInitialized()) {
      throw new IllegalArgumentException("block " + block.getClass().getSimpleName()
          + " is not initialised; call block.initialize(manager, DataType.FLOAT32, inputShape) first");
    }
    if (inputShape.dimension() < 2) {
      throw new IllegalArgumentException("input shape " + inputShape + " needs a batch and at least one more axis");
    }
    long[] dims = inputShape.slice(1).getShape();
    int[] sample = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      sample[i] = Math.toIntExact(dims[i]);
    }
    GraphBuilder g = GraphBuilder.create(0).input(inputName, sample);
    String root = block instanceof SequentialBlock ? "" : block.getClass().getSimpleName();
    String out = visit(block, root, inputName, inputShape, g);
    g.from(out);
    return g.build();
  }

  private String visit(Block b, String path, String input, ai.djl.ndarray.types.Shape in, GraphBuilder g) {
    String where = path.isEmpty() ? b.getClass().getSimpleName() : path;
    if (b instanceof SequentialBlock) {
      String cur = input;
      ai.djl.ndarray.types.Shape shape = in;
      for (Pair<String, Block> c : b.getChildren()) {
        cur = visit(c.getValue(), child(path, c.getKey()), cur, shape, g);
        shape = c.getValue().getOutputShapes(new ai.djl.ndarray.types.Shape[] {shape})[0];
      }
      return cur;
    }
    if (b instanceof ParallelBlock) {
      @SuppressWarnings("unchecked")
      Function<List<NDList>, NDList> fn =
          (Function<List<NDList>, NDList>) LambdaInspector.read(ParallelBlock.class, b, "function", where);
      DjlJoins.Join join = joins.get(fn);
      if (join == null) {
        throw new UnsupportedBlockException(where, "ParallelBlock join function " + fn.getClass().getName()
            + " cannot be identified; build the block with DjlJoins.ADD / DjlJoins.CONCAT_CHANNELS or register it"
            + " with DjlBlockImporter.builder().optJoin(...)");
      }
      List<String> outs = new ArrayList<>();
      for (Pair<String, Block> c : b.getChildren()) {
        outs.add(visit(c.getValue(), child(where, c.getKey()), input, in, g));
      }
      if (outs.size() < 2) {
        throw new UnsupportedBlockException(where, "ParallelBlock with " + outs.size() + " branch(es) is not supported");
      }
      Op op = join == DjlJoins.Join.ADD ? new Add() : new Concat(1);
      return add(g, where, b, op, Map.of(), in, outs.toArray(String[]::new));
    }
    Op op;
    Map<String, Tensor> values = new LinkedHashMap<>();
    Shape cur = g.from(input).cursorShape();
    if (b instanceof Linear) {
      Tensor w = param(b, "weight", where);
      Tensor bias = b.getParameters().contains("bias") ? param(b, "bias", where) : null;
      if (w.shape().rank() != 2 || cur.get(-1) != w.shape().get(1)) {
        throw new UnsupportedBlockException(where, "Linear weight " + w.shape() + " does not read the last axis of "
            + cur + "; flatten before it");
      }
      op = new org.prunekit.core.graph.op.Linear(w.shape().get(1), w.shape().get(0), bias != null);
      values.put("weight", w);
      if (bias != null) {
        values.put("bias", bias);
      }
    } else if (b instanceof Conv1d || b instanceof Conv2d || b instanceof Conv3d) {
      op = conv((Convolution) b, cur, where, values);
    } else if (b instanceof BatchNorm) {
      int axis = (Integer) LambdaInspector.read(BatchNorm.class, b, "axis", where);
      if (axis != 1) {
        throw new UnsupportedBlockException(where, "BatchNorm over axis " + axis + " (only axis 1 is supported)");
      }
      float eps = (Float) LambdaInspector.read(BatchNorm.class, b, "epsilon", where);
      float momentum = (Float) LambdaInspector.read(BatchNorm.class, b, "momentum", where);
      op = new org.prunekit.core.graph.op.BatchNorm(cur.get(1), eps, 1f - momentum);
      values.put("gamma", param(b, "gamma", where));
      values.put("beta", param(b, "beta", where));
      values.put("running_mean", param(b, "runningMean", where));
      values.put("running_var", param(b, "runningVar", where));
    } else if (b instanceof LayerNorm) {
      ai.djl.ndarray.types.Shape norm =
          (ai.djl.ndarray.types.Shape) LambdaInspector.read(LayerNorm.class, b, "normalizedShape", where);
      if (norm == null || norm.dimension() != 1 || norm.get(0) != cur.get(-1)) {
        throw new UnsupportedBlockException(where, "LayerNorm over " + norm + " for input " + cur
            + " (only the last axis is supported)");
      }
      float eps = (Float) LambdaInspector.read(LayerNorm.class, b, "epsilon", where);
      op = new org.prunekit.core.graph.op.LayerNorm(cur.get(-1), eps, true);
      values.put("gamma", param(b, "gamma", where));
      values.put("beta", param(b, "beta", where));
    } else if (b instanceof Dropout) {
      op = new org.prunekit.core.graph.op.Dropout((Float) LambdaInspector.read(Dropout.class, b, "rate", where));
    } else if (b instanceof LambdaBlock lb && b.getClass() == LambdaBlock.class) {
      op = LambdaInspector.identify(lb, where);
      if (op instanceof Identity) {
        return input;
      }
    } else {
      throw new UnsupportedBlockException(where, "block class " + b.getClass().getName() + " is not supported");
    }
    return add(g, where, b, op, values, in, input);
  }

  private static String add(GraphBuilder g, String name, Block b, Op op, Map<String, Tensor> values,
      ai.djl.ndarray.types.Shape in, String... inputs) {
    for (ParamSpec s : op.parameterSpecs()) {
      Tensor t = values.get(s.name());
      if (t == null || !t.shape().equals(s.shape())) {
        throw new UnsupportedBlockException(name, "parameter '" + s.name() + "' is " + (t == null ? "missing" : t.shape())
            + ", the PruneKit op needs " + s.shape());
      }
    }
    try {
      g.node(name, op, values, inputs);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedBlockException(name, "cannot be expressed as " + op + ": " + e.getMessage());
    }
    ai.djl.ndarray.types.Shape djl = b.getOutputShapes(new ai.djl.ndarray.types.Shape[] {in})[0];
    Shape ours = g.cursorShape().dropFirst();
    if (!ours.equals(Shape.ofLongs(djl.slice(1).getShape()))) {
      throw new UnsupportedBlockException(name, b.getClass().getSimpleName() + " gives " + djl + " in DJL but the "
          + op.type() + " op gives " + ours + " per sample");
    }
    return name;
  }

  private static Op conv(Convolution c, Shape cur, String where, Map<String, Tensor> values) {
    int n = c.getKernelShape().dimension();
    Tensor w = param(c, "weight", where);
    int groups = c.getGroups();
    int[] pad = LambdaInspector.ints(c.getPadding(), n, where);
    Conv op = new Conv(n, cur.get(1), c.getFilters(), LambdaInspector.ints(c.getKernelShape(), n, where),
        LambdaInspector.ints(c.getStride(), n, where), new Padding(Padding.Mode.EXPLICIT, pad, pad),
        LambdaInspector.ints(c.getDilation(), n, where), groups, c.isIncludeBias());
    values.put("weight", w);
    if (c.isIncludeBias()) {
      values.put("bias", param(c, "bias", where));
    }
    return op;
  }

  private static Tensor param(Block b, String name, String where) {
    ai.djl.nn.Parameter p = b.getParameters().get(name);
    if (p == null || !p.isInitialized()) {
      throw new UnsupportedBlockException(where, "parameter '" + name + "' is missing or not initialised");
    }
    NDArray a = p.getArray();
    if (a.getDataType() != DataType.FLOAT32) {
      throw new UnsupportedBlockException(where, "parameter '" + name + "' is " + a.getDataType() + ", not float32");
    }
    return TensorConversions.fromDjl(a);
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "_" + key;
  }

  /** Configures a {@link DjlBlockImporter}. */
  public static final class Builder {
    private final Map<Function<List<NDList>, NDList>, DjlJoins.Join> joins = new IdentityHashMap<>();
    private String inputName = "input";

    private Builder() {
      joins.put(DjlJoins.ADD, DjlJoins.Join.ADD);
      joins.put(DjlJoins.CONCAT_CHANNELS, DjlJoins.Join.CONCAT_CHANNELS);
    }

    /** The graph input's name (default {@code "input"}). */
    public Builder optInputName(String name) {
      this.inputName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Declares what a {@link ParallelBlock} join function (compared by identity) computes. Only
     * register a function you know computes exactly that.
     */
    public Builder optJoin(Function<List<NDList>, NDList> function, DjlJoins.Join join) {
      joins.put(Objects.requireNonNull(function, "function"), Objects.requireNonNull(join, "join"));
      return this;
    }

    /** The importer. */
    public DjlBlockImporter build() {
      return new DjlBlockImporter(this);
    }
  }
}
