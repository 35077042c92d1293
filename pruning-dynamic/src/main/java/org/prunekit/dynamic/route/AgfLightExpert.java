package org.prunekit.dynamic.route;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.criteria.structured.CalibrationBatch;
import org.prunekit.criteria.structured.StructuredPruning;
import org.prunekit.criteria.structured.StructuredReport;
import org.prunekit.criteria.structured.StructuredResult;
import org.prunekit.criteria.structured.StructuredSpec;
import org.prunekit.criteria.taylor.TaylorCapture;
import org.prunekit.criteria.taylor.UnitLayout;

/**
 * The light expert of hybrid routing (spec 3.3): the dense model structurally pruned by AGF kinetic
 * utility {@code U_s = mean_x |<A_s(x), G_s(x)>|} and <b>physically</b> smaller (narrower
 * convolutions and linear layers), so it really costs less.
 *
 * <p>How: for every prunable group of the dense graph ({@link DependencyGraph}) the node that
 * produces the group's units last in graph order (a convolution, linear layer or the norm after it)
 * is captured; {@link TaylorCapture} runs the calibration batches forward and backward (inference
 * mode, the graph is not changed) and accumulates {@link org.prunekit.criteria.taylor.AgfUtility}
 * per unit (channels for outputs of rank 3 and more, neurons for rank 2). {@link StructuredPruning}
 * then removes the same fraction of units in every group (local ranking, the spec's safe default;
 * the lowest utilities go, at least one unit stays) through an {@link AgfGroupImportance}. For a
 * ReLU / max-pool chain the utility at the pre-activation equals the one at the post-activation
 * (the gradient is zero exactly where the activation is cut), so scoring the producer is the
 * removal's first-order effect.
 *
 * <pre>{@code
 * AgfLightExpert light = AgfLightExpert.builder().setDense(dense).setCalibration(batches)
 *     .setChannelRatio(0.5).build();
 * Graph small = light.pruned();   // dense is unchanged
 * }</pre>
 *
 * <p>Limits: a group whose units are produced by several nodes (e.g. a residual sum) cannot be
 * scored this way; the builder names it, and {@link Builder#optLeaveAlone} excludes it.
 */
public final class AgfLightExpert {
  private final Graph pruned;
  private final Map<String, double[]> utilities;
  private final Map<String, String> scoredNodes;
  private final StructuredReport report;

  private AgfLightExpert(Graph pruned, Map<String, double[]> utilities, Map<String, String> scoredNodes,
      StructuredReport report) {
    this.pruned = pruned;
    this.utilities = utilities;
    this.scoredNodes = scoredNodes;
    this.report = report;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The physically pruned graph (a new graph). */
  public Graph pruned() {
    return pruned;
  }

  /** Group root to the AGF utility of each of its units (copies). */
  public Map<String, double[]> utilities() {
    Map<String, double[]> m = new LinkedHashMap<>();
    utilities.forEach((k, v) -> m.put(k, v.clone()));
    return m;
  }

  /** Group root to the node whose output was scored. */
  public Map<String, String> scoredNodes() {
    return Collections.unmodifiableMap(scoredNodes);
  }

  /** What the pruning removed, in parameters and MACs. */
  public StructuredReport report() {
    return report;
  }

  /** Builder: {@code setDense}, {@code setCalibration} and {@code setChannelRatio} are required. */
  public static final class Builder {
    private Graph dense;
    private List<CalibrationBatch> batches;
    private double ratio = Double.NaN;
    private Loss loss = Loss.softmaxCrossEntropyLoss();
    private int roundTo = 1;
    private final Set<String> leaveAlone = new LinkedHashSet<>();

    private Builder() {}

    /** The trained dense model (not changed). */
    public Builder setDense(Graph dense) {
      this.dense = Objects.requireNonNull(dense, "dense");
      return this;
    }

    /** Calibration batches (images and class-index labels) for the utilities. */
    public Builder setCalibration(List<CalibrationBatch> batches) {
      this.batches = List.copyOf(Objects.requireNonNull(batches, "batches"));
      return this;
    }

    /** Fraction of units removed from every group, in {@code (0, 1)}. */
    public Builder setChannelRatio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /** The loss whose gradients are used (default softmax cross-entropy, batch mean). */
    public Builder optLoss(Loss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /** Remaining widths are multiples of this (default 1). */
    public Builder optRoundTo(int roundTo) {
      this.roundTo = roundTo;
      return this;
    }

    /** Groups touching these nodes (or with these roots) are neither scored nor pruned. */
    public Builder optLeaveAlone(String... nodesOrRoots) {
      for (String n : nodesOrRoots) {
        leaveAlone.add(Objects.requireNonNull(n, "node name"));
      }
      return this;
    }

    /**
     * Measures the utilities and builds the pruned graph.
     *
     * @throws IllegalArgumentException if a setting is missing or out of range, there is no
     *     calibration batch, a group cannot be scored (naming it), or a batch does not fit the graph
     */
    public AgfLightExpert build() {
      if (dense == null || batches == null) {
        throw new IllegalArgumentException("AGF light expert needs the dense graph (setDense) and calibration batches"
            + " (setCalibration)");
      }
      if (!(ratio > 0 && ratio < 1)) {
        throw new IllegalArgumentException("AGF channel ratio must be in (0, 1), got " + ratio);
      }
      if (batches.isEmpty()) {
        throw new IllegalArgumentException("AGF utilities need at least one calibration batch");
      }
      Map<String, Integer> position = new HashMap<>();
      for (int i = 0; i < dense.nodes().size(); i++) {
        position.put(dense.nodes().get(i).name(), i);
      }
      Map<String, Shape> shapes = dense.inferShapes(1);
      Map<String, String> nodeOfRoot = new LinkedHashMap<>();
      Map<String, UnitLayout> layouts = new LinkedHashMap<>();
      for (PruningGroup g : DependencyGraph.build(dense).groups()) {
        if (leaveAlone.stream().anyMatch(n -> g.root().equals(n) || !g.membersOf(n).isEmpty())) {
          continue;
        }
        String node = null;
        for (GroupMember m : g.members()) {
          if (m.direction() == GroupMember.Direction.OUT
              && (node == null || position.get(m.node()) > position.get(node))) {
            node = m.node();
          }
        }
        if (node == null) {
          throw new IllegalArgumentException("group '" + g.root() + "' has no producing node to score; leave it alone"
              + " (optLeaveAlone)");
        }
        Shape s = shapes.get(node);
        UnitLayout layout = s.rank() > 2 ? UnitLayout.channels() : UnitLayout.neurons();
        int units = layout.units(node, s);
        if (units != g.size()) {
          throw new IllegalArgumentException("group '" + g.root() + "' has " + g.size() + " units but its producer '"
              + node + "' outputs " + units + " (" + s + "); AGF cannot score it, leave it alone (optLeaveAlone)");
        }
        nodeOfRoot.put(g.root(), node);
        layouts.put(node, layout);
      }
      if (nodeOfRoot.isEmpty()) {
        throw new IllegalArgumentException("the dense graph has no prunable group to score");
      }
      Map<String, double[]> byNode;
      try (NDManager m = DjlEnvironment.newManager();
          TaylorCapture capture = TaylorCapture.of(dense, loss, layouts)) {
        for (CalibrationBatch b : batches) {
          try (NDManager scope = m.newSubManager()) {
            capture.add(toDjl(scope, b.inputs()), toDjl(scope, b.labels()));
          }
        }
        byNode = capture.agfUtilities();
      }
      Map<String, double[]> byRoot = new LinkedHashMap<>();
      nodeOfRoot.forEach((root, node) -> byRoot.put(root, byNode.get(node)));
      StructuredSpec.Builder spec = StructuredSpec.builder().setImportance(new AgfGroupImportance(byRoot))
          .setChannelRatio(ratio).optRoundTo(roundTo);
      if (!leaveAlone.isEmpty()) {
        spec.optLeaveAlone(leaveAlone.toArray(String[]::new));
      }
      StructuredResult r = StructuredPruning.prune(dense, spec.build());
      return new AgfLightExpert(r.pruned(), byRoot, nodeOfRoot, r.report());
    }

    private static NDList toDjl(NDManager m, List<Tensor> ts) {
      NDList l = new NDList(ts.size());
      for (Tensor t : ts) {
        l.add(TensorConversions.toDjl(m, t));
      }
      return l;
    }
  }

  /** The scored groups' roots in graph order. */
  public List<String> roots() {
    return new ArrayList<>(utilities.keySet());
  }
}
