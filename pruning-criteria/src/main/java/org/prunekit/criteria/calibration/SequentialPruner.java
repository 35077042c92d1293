package org.prunekit.criteria.calibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.pattern.NmPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calibration-based pruning of a block-structured graph (spec B2 "procedure"): Wanda's (and
 * SparseGPT's) layer-by-layer procedure, or one dense pass for comparison.
 *
 * <p><b>Sequential</b> ({@link CalibrationMode#SEQUENTIAL}): run the calibration set through the
 * prefix (e.g. the embedding) and keep the first block's inputs; for block {@code i}: run them
 * through the unpruned block while streaming the input statistics of every target weight in it,
 * prune those weights (criterion, or a {@link LayerReconstructor}), re-run the <em>pruned</em>
 * block to produce block {@code i+1}'s inputs.
 *
 * <p><b>Dense</b> ({@link CalibrationMode#DENSE}): one pass of the unpruned model collects every
 * target's statistics, then all targets are pruned at once (any scope, including GLOBAL).
 *
 * <p><b>Memory bound.</b> Statistics are streamed: per target weight {@code in} doubles ({@code
 * in^2} with a reconstructor, for the current block's weights only). Activations are never kept
 * for all layers: the sequential mode holds the current block's inputs and outputs for the whole
 * calibration set on the Java heap, {@code 2 x samples x seq x width} floats (what Wanda's {@code
 * inps}/{@code outs} hold; 128 x 128 x 64 floats = 4 MiB each for the char-level Llama), plus one
 * block's parameter copy in the engine and one batch of intermediates.
 *
 * <p><b>All or nothing.</b> Targets, patterns, statistics support and calibration shape are
 * checked before anything changes. During a sequential run masks (and reconstructed values) are
 * installed block by block, with the values they replaced remembered; on any failure every
 * parameter is restored. Pruned weights are zeroed when the run completes.
 *
 * <p>Weight-only criteria (magnitude) need no calibration: they are applied in one {@link
 * Pruning#prune} call whatever the mode.
 *
 * <pre>{@code
 * SequentialResult r = SequentialPruner.builder()
 *     .setSpec(PruningSpec.builder().setCriterion("wanda").setSparsity(0.5)
 *         .optTargets(SequentialPruner.blockTargets(graph, partition)).build())
 *     .setPartition(BlockPartition.numbered(graph, "layers."))
 *     .optCalibration(CalibrationSet.randomWindows(corpus.train(), 128, 128, 0))
 *     .build()
 *     .prune(graph);
 * }</pre>
 */
public final class SequentialPruner {
  private static final Logger LOG = LoggerFactory.getLogger(SequentialPruner.class);

  private final PruningSpec spec;
  private final BlockPartition partition;
  private final CalibrationSet calibration;
  private final CalibrationMode mode;
  private final LayerReconstructor reconstructor;
  private final int batchSize;

  private SequentialPruner(Builder b) {
    this.spec = b.spec;
    this.partition = b.partition;
    this.calibration = b.calibration;
    this.mode = b.mode;
    this.reconstructor = b.reconstructor;
    this.batchSize = b.batchSize;
  }

  /** A builder: the spec is required; partition (sequential mode) and calibration as needed. */
  public static Builder builder() {
    return new Builder();
  }

  /** Targets: every node inside the blocks that has a WEIGHT parameter (not prefix or suffix). */
  public static Targets blockTargets(Graph graph, BlockPartition partition) {
    List<String> nodes = new ArrayList<>();
    for (Block b : partition.blocks()) {
      for (String n : b.nodes()) {
        if (graph.node(n).params().values().stream().anyMatch(p -> p.role() == ParamRole.WEIGHT)) {
          nodes.add(n);
        }
      }
    }
    return new Targets(new LinkedHashSet<>(nodes), Set.of());
  }

  /**
   * Prunes {@code graph} in place.
   *
   * @throws IllegalArgumentException naming the node, parameter, shape or value at fault; the graph
   *     is then unchanged
   */
  public SequentialResult prune(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    List<Parameter> targets = spec.targets().resolve(graph);
    boolean needsCalibration = reconstructor != null
        || spec.criterion().requirements().contains(Criterion.Requirement.INPUT_COLUMN_NORMS);
    validate(graph, targets, needsCalibration);
    String method = reconstructor != null ? reconstructor.name() : spec.criterion().name();
    if (!needsCalibration) {
      LOG.info("'{}' needs no calibration: pruning all {} targets at once", method, targets.size());
      org.prunekit.criteria.PruningResult r = Pruning.prune(graph, spec);
      return new SequentialResult(method, mode, null, r.masks(), r.report(), spec);
    }
    List<Tensor> batches = new ArrayList<>();
    for (int from = 0; from < calibration.size(); from += batchSize) {
      batches.add(calibration.batch(from, Math.min(calibration.size(), from + batchSize)));
    }
    StagedChanges staged = new StagedChanges();
    try {
      if (mode == CalibrationMode.DENSE) {
        dense(graph, targets, batches, staged);
      } else {
        sequential(graph, targets, batches, staged);
      }
      MaskSet masks = staged.masks();
      SparsityReport report = Masks.apply(graph, masks);
      LOG.info("'{}' ({}) pruned {} weights: {} of {} masked", method, mode, masks.size(), report.maskedZeros(),
          report.numel());
      return new SequentialResult(method, mode, calibration, masks, report, spec);
    } catch (RuntimeException | Error e) {
      staged.rollback();
      throw e;
    }
  }

  private void validate(Graph graph, List<Parameter> targets, boolean needsCalibration) {
    if (spec.criterion().requirements().contains(Criterion.Requirement.GRADIENT)) {
      throw new IllegalArgumentException("criterion '" + spec.criterion().name()
          + "' needs gradients; calibration pruning supplies input statistics only");
    }
    NmPattern nm = spec.pattern() instanceof NmPattern n ? n : null;
    for (Parameter p : targets) {
      Masks.requireFinite(p);
      if (nm != null) {
        nm.requireDivides(p.qualifiedName(), Math.toIntExact(p.numel() / p.shape().get(0)));
      }
      if (needsCalibration) {
        LayerStatistics.slotOf(graph.node(p.nodeName()), p);
      }
    }
    if (!needsCalibration) {
      return;
    }
    if (calibration == null) {
      throw new IllegalArgumentException("'" + (reconstructor != null ? reconstructor.name()
          : spec.criterion().name()) + "' needs calibration data; none was given (optCalibration)");
    }
    if (graph.inputs().size() != 1) {
      throw new IllegalArgumentException("calibration pruning needs a graph with one input, this one has "
          + graph.inputs().size());
    }
    InputSpec in = graph.inputs().get(0);
    if (!in.sampleShape().equals(calibration.sampleShape())) {
      throw new IllegalArgumentException("calibration samples have shape " + calibration.sampleShape()
          + ", graph input '" + in.name() + "' expects " + in.sampleShape());
    }
    if (mode == CalibrationMode.SEQUENTIAL) {
      if (partition == null) {
        throw new IllegalArgumentException("sequential calibration needs a block partition (setPartition)");
      }
      if (spec.scope() == Scope.GLOBAL && reconstructor == null) {
        throw new IllegalArgumentException("scope GLOBAL compares weights across all layers, which the sequential "
            + "procedure prunes one block at a time; use LAYER/ROW or CalibrationMode.DENSE");
      }
      for (Parameter p : targets) {
        if (partition.blockOf(p.nodeName()) == null) {
          throw new IllegalArgumentException("target '" + p.qualifiedName() + "' is outside the blocks; sequential "
              + "calibration prunes weights inside blocks only (see blockTargets)");
        }
      }
    }
  }

  private void dense(Graph graph, List<Parameter> targets, List<Tensor> batches, StagedChanges staged) {
    LayerStatistics stats;
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      stats = new LayerStatistics(targets, nodes(graph), ex.parameters(), reconstructor != null);
      BlockRunner.run(ex, batches, List.of(stats), false);
    }
    pruneTargets(graph, targets, stats, spec, staged);
  }

  private void sequential(Graph graph, List<Parameter> targets, List<Tensor> batches, StagedChanges staged) {
    Block first = partition.blocks().get(0);
    List<Tensor> acts = partition.prefix().isEmpty() ? batches
        : BlockRunner.run(new Graph(graph.inputs(), nodeList(graph, partition.prefix()), List.of(first.input())),
            batches);
    Map<String, Shape> shapes = graph.inferShapes(1);
    for (Block b : partition.blocks()) {
      List<Parameter> inBlock = new ArrayList<>();
      for (Parameter p : targets) {
        if (b.nodes().contains(p.nodeName())) {
          inBlock.add(p);
        }
      }
      Graph sub = new Graph(List.of(new InputSpec(b.input(), shapes.get(b.input()).dropFirst())),
          nodeList(graph, b.nodes()), List.of(b.output()));
      try (GraphExecutor ex = GraphExecutor.create(sub)) {
        if (!inBlock.isEmpty()) {
          LayerStatistics stats = new LayerStatistics(inBlock, nodes(graph), ex.parameters(), reconstructor != null);
          BlockRunner.run(ex, acts, List.of(stats), false);
          Set<String> blockNodes = new LinkedHashSet<>();
          inBlock.forEach(p -> blockNodes.add(p.nodeName()));
          PruningSpec blockSpec = new PruningSpec(spec.criterion(), spec.sparsity(), spec.scope(),
              spec.thresholdMode(), new Targets(blockNodes, Set.of()), spec.pattern());
          pruneTargets(graph, inBlock, stats, blockSpec, staged);
          ex.refreshParameters();
        }
        if (b != partition.blocks().get(partition.blocks().size() - 1)) {
          acts = BlockRunner.run(ex, acts, List.of(), true);
        }
      }
      LOG.info("block '{}': pruned {} weight(s) from {} calibration samples", b.name(), inBlock.size(),
          calibration.size());
    }
  }

  /** Scores or reconstructs {@code targets} from {@code stats} and stages the results. */
  private void pruneTargets(Graph graph, List<Parameter> targets, LayerStatistics stats, PruningSpec s,
      StagedChanges staged) {
    if (reconstructor == null) {
      MaskSet m = Pruning.computeMasks(graph, s, ScoringInputs.ofNorms(stats.squaredNorms()));
      for (Parameter p : targets) {
        staged.stage(p, null, m.mask(p.qualifiedName()));
      }
      return;
    }
    List<Tensor[]> results = new ArrayList<>();
    for (Parameter p : targets) {
      Reconstruction r = reconstructor.reconstruct(p, stats.gram(p.qualifiedName()), s);
      results.add(Reconstructions.validate(reconstructor.name(), p, r));
    }
    for (int i = 0; i < targets.size(); i++) {
      staged.stage(targets.get(i), results.get(i)[0], results.get(i)[1]);
    }
  }

  private static Map<String, Node> nodes(Graph g) {
    Map<String, Node> m = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      m.put(n.name(), n);
    }
    return m;
  }

  private static List<Node> nodeList(Graph g, List<String> names) {
    List<Node> l = new ArrayList<>(names.size());
    for (String n : names) {
      l.add(g.node(n));
    }
    return l;
  }

  /** Builds a {@link SequentialPruner}. */
  public static final class Builder {
    private PruningSpec spec;
    private BlockPartition partition;
    private CalibrationSet calibration;
    private CalibrationMode mode = CalibrationMode.SEQUENTIAL;
    private LayerReconstructor reconstructor;
    private int batchSize = 16;

    private Builder() {}

    /** Required: criterion, sparsity, scope, pattern and targets. */
    public Builder setSpec(PruningSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /** The blocks (required in sequential mode when calibration is used). */
    public Builder setPartition(BlockPartition partition) {
      this.partition = Objects.requireNonNull(partition, "partition");
      return this;
    }

    /** Optional (required by activation-aware criteria and reconstructors): the calibration set. */
    public Builder optCalibration(CalibrationSet calibration) {
      this.calibration = Objects.requireNonNull(calibration, "calibration");
      return this;
    }

    /** Optional: sequential (default) or one dense pass. */
    public Builder optMode(CalibrationMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Optional: a weight-updating method (e.g. SparseGPT) used instead of the spec's criterion. */
    public Builder optReconstructor(LayerReconstructor reconstructor) {
      this.reconstructor = Objects.requireNonNull(reconstructor, "reconstructor");
      return this;
    }

    /** Optional: calibration samples per forward pass (default 16; statistics do not depend on it). */
    public Builder optBatchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Builds the pruner.
     *
     * @throws IllegalArgumentException if the spec is missing
     */
    public SequentialPruner build() {
      if (spec == null) {
        throw new IllegalArgumentException("SequentialPruner needs a pruning spec (setSpec)");
      }
      return new SequentialPruner(this);
    }
  }
}
