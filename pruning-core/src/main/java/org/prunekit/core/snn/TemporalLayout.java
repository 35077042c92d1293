package org.prunekit.core.snn;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;

/**
 * How many time steps every tensor of a graph carries folded into its batch axis, and which
 * tensors hold spikes.
 *
 * <p>Rules: graph inputs carry 1 step; {@link TimeEncode} turns 1 step into its {@code timesteps};
 * {@link Lif} and {@link TimeMean} require their input to carry exactly their {@code timesteps}
 * ({@code TimeMean} outputs 1); every other op requires all its inputs to agree and passes the
 * count on. A tensor is a <em>spike</em> tensor when a {@link Lif} produced it, possibly through
 * ops that keep 0/1 values: flatten, reshape, identity, dropout (inference), max pooling, and a
 * concat of spike tensors only.
 *
 * <p>Shape inference already checks that the first axis is divisible by T; this check also catches
 * a T that divides the batch but differs from the producer's (e.g. 4 steps read as 2).
 */
public final class TemporalLayout {
  private final Map<String, Integer> steps;
  private final Map<String, Boolean> spikes;

  private TemporalLayout(Map<String, Integer> steps, Map<String, Boolean> spikes) {
    this.steps = Collections.unmodifiableMap(steps);
    this.spikes = Collections.unmodifiableMap(spikes);
  }

  /**
   * Derives the layout of {@code graph}.
   *
   * @throws IllegalArgumentException naming the node whose input carries a step count other than
   *     the one it needs, or whose inputs disagree
   */
  public static TemporalLayout of(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    Map<String, Integer> steps = new HashMap<>();
    Map<String, Boolean> spikes = new HashMap<>();
    for (InputSpec in : graph.inputs()) {
      steps.put(in.name(), 1);
      spikes.put(in.name(), false);
    }
    for (Node n : graph.nodes()) {
      Op op = n.op();
      List<String> ins = n.inputs();
      int t = steps.get(ins.get(0));
      for (String i : ins) {
        if (steps.get(i) != t) {
          throw new IllegalArgumentException("node '" + n.name() + "': its inputs carry different time step counts ("
              + ins.get(0) + ": " + t + ", " + i + ": " + steps.get(i) + ")");
        }
      }
      boolean spike = false;
      if (op instanceof TimeEncode e) {
        require(n, t, 1, "an input without a time axis (it would fold time twice)");
        t = e.timesteps();
      } else if (op instanceof Lif l) {
        require(n, t, l.timesteps(), l.timesteps() + " time steps" + (t == 1 ? " (add a timeencode before it)" : ""));
        spike = true;
      } else if (op instanceof TimeMean m) {
        require(n, t, m.timesteps(), m.timesteps() + " time steps");
        t = 1;
      } else if (op instanceof Flatten || op instanceof Reshape || op instanceof Identity || op instanceof Dropout
          || (op instanceof Pool p && p.kind() == Pool.Kind.MAX)) {
        spike = spikes.get(ins.get(0));
      } else if (op instanceof Concat) {
        spike = ins.stream().allMatch(spikes::get);
      }
      steps.put(n.name(), t);
      spikes.put(n.name(), spike);
    }
    return new TemporalLayout(steps, spikes);
  }

  private static void require(Node n, int got, int want, String what) {
    if (got != want) {
      throw new IllegalArgumentException(n.op().type() + " '" + n.name() + "' needs an input carrying " + what
          + ", but '" + n.inputs().get(0) + "' carries " + got + " time step(s)");
    }
  }

  /**
   * The number of steps folded into {@code tensor}'s batch axis (1: none).
   *
   * @throws IllegalArgumentException for a name that is neither a graph input nor a node
   */
  public int timesteps(String tensor) {
    Integer t = steps.get(tensor);
    if (t == null) {
      throw new IllegalArgumentException("no tensor '" + tensor + "' in the graph");
    }
    return t;
  }

  /** The largest step count of any tensor (1 for a graph without spiking ops). */
  public int maxTimesteps() {
    return steps.values().stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  /**
   * Whether {@code tensor} holds spikes (see the class documentation).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public boolean isSpikes(String tensor) {
    timesteps(tensor);
    return spikes.get(tensor);
  }
}
