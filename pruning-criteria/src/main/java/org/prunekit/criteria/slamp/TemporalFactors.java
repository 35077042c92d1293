package org.prunekit.criteria.slamp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;

/**
 * SLAMP's temporal factors (spec 3.6, PROPOSAL formulas).
 *
 * <p>A weight perturbation of layer {@code l} injected at step {@code t} persists in the membrane
 * of the layer's LIF neurons with decay {@code beta^(tau - t)} (resets ignored), so its weight in
 * the time-averaged read-out is
 *
 * <pre>
 *   c_t = sum_{tau = t..T} beta^(tau - t) = (1 - beta^(T - t + 1)) / (1 - beta)   (t = 1..T)
 * </pre>
 *
 * ({@code T - t + 1} for integrate-and-fire, beta = 1; 1 for every step when nothing integrates,
 * beta = 0). With {@code m_t} the mean over calibration samples of the L2 norm of the layer's
 * input at step {@code t}:
 *
 * <pre>
 *   kappa_l = sum_t c_t m_t / ( (sum_t c_t) * mean_t m_t )
 * </pre>
 *
 * — the {@code c}-weighted mean of the input energy over its plain mean: above 1 when the input
 * arrives in early steps (which weigh most), below 1 when it arrives late. {@code T = 1} gives
 * exactly 1; an all-zero input ({@code 0/0}) is defined as 1 (spec test 2).
 */
public final class TemporalFactors {
  /** The neutral factor: T = 1, or an input that never fires. */
  public static final double NEUTRAL = 1.0;

  private TemporalFactors() {}

  /**
   * The step weights {@code c_1..c_T}, computed as {@code c_T = 1, c_t = 1 + beta c_{t+1}}.
   *
   * @throws IllegalArgumentException if {@code timesteps < 1} or beta is outside {@code [0, 1]}
   */
  public static double[] stepWeights(int timesteps, double beta) {
    if (timesteps < 1) {
      throw new IllegalArgumentException("timesteps must be >= 1, got " + timesteps);
    }
    if (!(beta >= 0 && beta <= 1)) {
      throw new IllegalArgumentException("beta must be in [0, 1], got " + beta);
    }
    double[] c = new double[timesteps];
    c[timesteps - 1] = 1;
    for (int t = timesteps - 2; t >= 0; t--) {
      c[t] = 1 + beta * c[t + 1];
    }
    return c;
  }

  /**
   * {@code kappa} from the per-step mean input norms {@code m_1..m_T}.
   *
   * @throws IllegalArgumentException for an empty array, or a negative or non-finite norm
   */
  public static double kappa(double[] meanNorms, double beta) {
    if (meanNorms.length == 0) {
      throw new IllegalArgumentException("kappa needs the input norms of at least one time step");
    }
    for (int t = 0; t < meanNorms.length; t++) {
      if (!(meanNorms[t] >= 0) || !Double.isFinite(meanNorms[t])) {
        throw new IllegalArgumentException("input norm of step " + (t + 1) + " is " + meanNorms[t]
            + "; norms must be finite and >= 0");
      }
    }
    if (meanNorms.length == 1) {
      return NEUTRAL;
    }
    double[] c = stepWeights(meanNorms.length, beta);
    double weighted = 0;
    double sumC = 0;
    double sumM = 0;
    for (int t = 0; t < c.length; t++) {
      weighted += c[t] * meanNorms[t];
      sumC += c[t];
      sumM += meanNorms[t];
    }
    double denominator = sumC * (sumM / c.length);
    return denominator == 0 ? NEUTRAL : weighted / denominator;
  }

  /**
   * The membrane decay that integrates the output of {@code layer}: the {@code beta} of the LIF
   * layers reached from it through ops that neither weigh nor integrate (norms, activations,
   * pooling, flatten, reshape, identity, dropout, add, concat); the largest one if several (the
   * worst case); 0 if none is reached (the output goes to the read-out, each step counted once).
   *
   * @throws IllegalArgumentException if the graph has no node {@code layer}
   */
  public static double membraneDecay(Graph graph, String layer) {
    graph.node(layer);
    double beta = -1;
    Deque<String> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    todo.add(layer);
    while (!todo.isEmpty()) {
      for (Node c : graph.consumers(todo.poll())) {
        Op op = c.op();
        if (op instanceof Lif l) {
          beta = Math.max(beta, l.beta());
        } else if (passes(op) && seen.add(c.name())) {
          todo.add(c.name());
        }
      }
    }
    return beta < 0 ? 0 : beta;
  }

  private static boolean passes(Op op) {
    return op instanceof BatchNorm || op instanceof LayerNorm || op instanceof RmsNorm || op instanceof Activation
        || op instanceof Pool || op instanceof Flatten || op instanceof Reshape || op instanceof Identity
        || op instanceof Dropout || op instanceof Add || op instanceof Concat;
  }
}
