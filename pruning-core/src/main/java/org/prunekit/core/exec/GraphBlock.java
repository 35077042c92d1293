package org.prunekit.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DJL {@link ai.djl.nn.Block} that runs a PruneKit {@link Graph}, so that a graph trains in an
 * ordinary DJL {@link ai.djl.training.Trainer}:
 *
 * <pre>{@code
 * GraphBlock block = new GraphBlock(graph);
 * try (Model model = Model.newInstance("net", DjlEnvironment.ENGINE)) {
 *   model.setBlock(block);
 *   try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
 *     trainer.initialize(new ai.djl.ndarray.types.Shape(batch, 1, 28, 28));
 *     EasyTrain.fit(trainer, epochs, dataset, null);
 *   }
 *   block.syncToGraph(); // the graph now holds the trained weights
 * }
 * }</pre>
 *
 * <p>There is one DJL parameter per graph parameter, named by its qualified name ({@code
 * node.param}). Its array is initialised from the graph's current value by an initializer that
 * copies it; initializers set on the block from outside (for example through {@code
 * DefaultTrainingConfig.optInitializer}) are ignored, since the values come from the graph. Buffers
 * ({@link ParamRole#isBuffer()}, batch-norm running statistics) never require gradients, so DJL's
 * parameter store leaves them to the optimizer untouched; batch-norm updates them itself in
 * training mode.
 *
 * <p>Values flow between the graph (heap) and the block (native) only when asked: {@link
 * #syncToGraph()} after training, {@link #syncFromGraph()} after pruning changed the graph.
 *
 * <p>The block holds no native memory of its own: its arrays belong to the manager it was
 * initialised with (the model's), which closes them. After that model is closed the block may be
 * set on a new model; initialising it again copies the graph's values anew. For repeated
 * train/prune cycles prefer one {@link ai.djl.Model} per cycle (sync to the graph, prune, then
 * train again in a new model): optimizer state and DJL's {@code Trainer} bookkeeping arrays are
 * attached to the model's manager, and DJL 0.36's {@code Trainer.checkGradients} (run on the first
 * step of every trainer) leaves one gradient array per trainable parameter in it.
 */
public final class GraphBlock extends AbstractBlock {
  private static final Logger LOG = LoggerFactory.getLogger(GraphBlock.class);
  private static final byte VERSION = 1;

  private final Graph graph;
  private final List<ExecutionHook> hooks;
  private final Map<String, ai.djl.nn.Parameter> byName = new LinkedHashMap<>();
  private final Map<Parameter, ai.djl.nn.Parameter> byGraphParameter = new IdentityHashMap<>();

  /**
   * Wraps a graph without hooks.
   *
   * @param graph the graph; its parameter objects are shared, not copied
   */
  public GraphBlock(Graph graph) {
    this(graph, List.of());
  }

  /**
   * Wraps a graph; {@code hooks} run on every forward pass (training and inference).
   *
   * @param graph the graph; its parameter objects are shared, not copied
   * @param hooks hooks passed to the interpreter, in order
   */
  public GraphBlock(Graph graph, List<ExecutionHook> hooks) {
    super(VERSION);
    this.graph = Objects.requireNonNull(graph, "graph");
    this.hooks = List.copyOf(hooks);
    DjlEnvironment.ensureOffline();
    for (Parameter p : graph.parameters()) {
      ai.djl.nn.Parameter djl =
          ai.djl.nn.Parameter.builder()
              .setName(p.qualifiedName())
              .setType(typeOf(p.role()))
              .optShape(new ai.djl.ndarray.types.Shape(p.shape().toLongArray()))
              .optInitializer(new GraphValueInitializer(p))
              .optRequiresGrad(!p.role().isBuffer())
              .build();
      addParameter(djl);
      byName.put(p.qualifiedName(), djl);
      byGraphParameter.put(p, djl);
    }
    List<String> names = new ArrayList<>();
    for (InputSpec in : graph.inputs()) {
      names.add(in.name());
    }
    this.inputNames = names;
  }

  /** The wrapped graph. */
  public Graph graph() {
    return graph;
  }

  /** The hooks run on every forward pass. */
  public List<ExecutionHook> hooks() {
    return hooks;
  }

  /**
   * The DJL parameter of a graph parameter.
   *
   * @param qualifiedName {@code node.param}
   * @throws IllegalArgumentException if the graph has no such parameter
   */
  public ai.djl.nn.Parameter djlParameter(String qualifiedName) {
    ai.djl.nn.Parameter p = byName.get(qualifiedName);
    if (p == null) {
      throw new IllegalArgumentException("graph block has no parameter '" + qualifiedName + "'; parameters: " + byName.keySet());
    }
    return p;
  }

  /** The DJL parameter of a graph parameter of this block's graph. */
  ai.djl.nn.Parameter djlParameter(Parameter p) {
    ai.djl.nn.Parameter d = byGraphParameter.get(p);
    if (d == null) {
      throw new IllegalArgumentException("parameter '" + p.qualifiedName() + "' is not a parameter object of this block's graph");
    }
    return d;
  }

  /** DJL parameters by qualified name, in graph order (unmodifiable). */
  public Map<String, ai.djl.nn.Parameter> djlParameters() {
    return Collections.unmodifiableMap(byName);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    checkInputs(inputs);
    Device device = inputs.head().getDevice();
    ParameterSource source = p -> parameterStore.getValue(djlParameter(p), device, training);
    return GraphInterpreter.run(graph, inputs, source, hooks, training);
  }

  /**
   * Runs the graph on the block's own parameter arrays with extra hooks, outside a trainer.
   *
   * @param inputs one array per graph input
   * @param extraHooks hooks run after the block's own hooks
   * @param training whether dropout and batch-norm run in training mode
   * @return the graph outputs
   * @throws IllegalStateException if the block is not initialised
   */
  public NDList forward(NDList inputs, List<ExecutionHook> extraHooks, boolean training) {
    requireInitialized("forward");
    checkInputs(inputs);
    List<ExecutionHook> all = new ArrayList<>(hooks);
    all.addAll(extraHooks);
    return GraphInterpreter.run(graph, inputs, p -> djlParameter(p).getArray(), all, training);
  }

  @Override
  public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
    List<InputSpec> specs = graph.inputs();
    if (inputShapes.length != specs.size()) {
      throw new IllegalArgumentException(
          "graph has " + specs.size() + " input(s) " + inputNames + ", got " + inputShapes.length + " shape(s)");
    }
    Map<String, Shape> in = new HashMap<>();
    for (int i = 0; i < inputShapes.length; i++) {
      in.put(specs.get(i).name(), Shape.ofLongs(inputShapes[i].getShape()));
    }
    Map<String, Shape> all = graph.inferShapes(in);
    ai.djl.ndarray.types.Shape[] out = new ai.djl.ndarray.types.Shape[graph.outputs().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new ai.djl.ndarray.types.Shape(all.get(graph.outputs().get(i)).toLongArray());
    }
    return out;
  }

  /**
   * True when every parameter holds a live array. Arrays closed with the manager they belonged to
   * (a closed {@link ai.djl.Model}) count as not initialised, so the block can be set on a new
   * model and initialised again from the graph's values.
   */
  @Override
  public boolean isInitialized() {
    if (!super.isInitialized()) {
      return false;
    }
    for (ai.djl.nn.Parameter p : byName.values()) {
      if (p.getArray().isReleased()) {
        return false;
      }
    }
    return true;
  }

  /** Drops parameter arrays whose manager was closed, so initialisation copies the graph again. */
  @Override
  protected void beforeInitialize(ai.djl.ndarray.types.Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    for (ai.djl.nn.Parameter p : byName.values()) {
      if (p.isInitialized() && p.getArray().isReleased()) {
        p.close();
      }
    }
  }

  /** Ignored: parameter values come from the graph (logged at debug level). */
  @Override
  public void setInitializer(Initializer initializer, ai.djl.nn.Parameter.Type type) {
    LOG.debug("GraphBlock ignores initializer {} for type {}: values come from the graph", initializer, type);
  }

  /** Ignored: parameter values come from the graph (logged at debug level). */
  @Override
  public void setInitializer(Initializer initializer, String paramName) {
    LOG.debug("GraphBlock ignores initializer {} for {}: values come from the graph", initializer, paramName);
  }

  /** Ignored: parameter values come from the graph (logged at debug level). */
  @Override
  public void setInitializer(Initializer initializer, Predicate<ai.djl.nn.Parameter> predicate) {
    LOG.debug("GraphBlock ignores initializer {}: values come from the graph", initializer);
  }

  /** Freezes or unfreezes trainable parameters; buffers stay frozen. */
  @Override
  public void freezeParameters(boolean freeze) {
    freezeParameters(freeze, p -> true);
  }

  /** Freezes or unfreezes the matching trainable parameters; buffers stay frozen. */
  @Override
  public void freezeParameters(boolean freeze, Predicate<ai.djl.nn.Parameter> predicate) {
    for (Map.Entry<Parameter, ai.djl.nn.Parameter> e : byGraphParameter.entrySet()) {
      if (!e.getKey().role().isBuffer() && predicate.test(e.getValue())) {
        e.getValue().freeze(freeze);
      }
    }
  }

  /**
   * Copies the current DJL parameter values into the graph's parameters (new heap tensors), so
   * that saving and pruning see the trained weights. All values are read before any is written.
   *
   * @throws IllegalStateException if the block is not initialised
   */
  public void syncToGraph() {
    requireInitialized("syncToGraph");
    Map<Parameter, Tensor> values = new IdentityHashMap<>();
    for (Map.Entry<Parameter, ai.djl.nn.Parameter> e : byGraphParameter.entrySet()) {
      Tensor t = TensorConversions.fromDjl(e.getValue().getArray());
      if (!t.shape().equals(e.getKey().shape())) {
        throw new IllegalStateException(
            "DJL parameter '" + e.getKey().qualifiedName() + "' has shape " + t.shape() + ", graph expects " + e.getKey().shape());
      }
      values.put(e.getKey(), t);
    }
    values.forEach(Parameter::setValue);
  }

  /**
   * Copies the graph's current parameter values into the DJL arrays in place (the arrays a trainer
   * already holds stay valid). Before initialisation this does nothing: initialisation reads the
   * graph anyway. Must not be called while a gradient collector is open.
   */
  public void syncFromGraph() {
    if (!isInitialized()) {
      return;
    }
    for (Map.Entry<Parameter, ai.djl.nn.Parameter> e : byGraphParameter.entrySet()) {
      NDArray a = e.getValue().getArray();
      if (!Shape.ofLongs(a.getShape().getShape()).equals(e.getKey().shape())) {
        throw new IllegalStateException(
            "DJL parameter '" + e.getKey().qualifiedName() + "' has shape " + a.getShape() + ", graph has " + e.getKey().shape());
      }
    }
    for (Map.Entry<Parameter, ai.djl.nn.Parameter> e : byGraphParameter.entrySet()) {
      e.getValue().getArray().set(e.getKey().value().data());
    }
  }

  private void requireInitialized(String what) {
    if (!isInitialized()) {
      throw new IllegalStateException(what + ": graph block is not initialised; call Trainer.initialize or Block.initialize first");
    }
  }

  private void checkInputs(NDList inputs) {
    if (inputs.size() != graph.inputs().size()) {
      throw new IllegalArgumentException(
          "graph has " + graph.inputs().size() + " input(s) " + inputNames + ", got " + inputs.size() + " array(s)");
    }
  }

  private static ai.djl.nn.Parameter.Type typeOf(ParamRole role) {
    return switch (role) {
      case WEIGHT, EMBEDDING -> ai.djl.nn.Parameter.Type.WEIGHT;
      case BIAS -> ai.djl.nn.Parameter.Type.BIAS;
      case GAMMA -> ai.djl.nn.Parameter.Type.GAMMA;
      case BETA -> ai.djl.nn.Parameter.Type.BETA;
      case RUNNING_MEAN -> ai.djl.nn.Parameter.Type.RUNNING_MEAN;
      case RUNNING_VAR -> ai.djl.nn.Parameter.Type.RUNNING_VAR;
    };
  }

  /** Initialises a DJL parameter with a copy of the graph parameter's current value. */
  private static final class GraphValueInitializer implements Initializer {
    private final Parameter source;

    GraphValueInitializer(Parameter source) {
      this.source = source;
    }

    @Override
    public NDArray initialize(NDManager manager, ai.djl.ndarray.types.Shape shape, DataType dataType) {
      if (!Shape.ofLongs(shape.getShape()).equals(source.shape())) {
        throw new IllegalArgumentException(
            "parameter '" + source.qualifiedName() + "' has shape " + source.shape() + ", DJL asked for " + shape);
      }
      NDArray a = TensorConversions.toDjl(manager, source.value());
      if (dataType != DataType.FLOAT32) {
        NDArray cast = a.toType(dataType, false);
        a.close();
        return cast;
      }
      return a;
    }
  }
}
