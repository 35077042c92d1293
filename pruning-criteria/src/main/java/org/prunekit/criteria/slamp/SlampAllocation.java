package org.prunekit.criteria.slamp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.lamp.LampAllocation;
import org.prunekit.criteria.select.MaskSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SLAMP, spiking layer-adaptive magnitude-based pruning (spec 3.6; the score is a PROPOSAL): the
 * LAMP score of every weight scaled by its layer's temporal factor,
 *
 * <pre>
 *   SLAMP_l(u) = kappa_l * LAMP_l(u)
 * </pre>
 *
 * with {@code kappa_l} from {@link TemporalFactors#kappa} on the layer's calibration input norms
 * ({@link SpikeStatistics}) and the membrane decay of the LIF layer that integrates its output
 * ({@link TemporalFactors#membraneDecay}). The allocation is LAMP's ({@link
 * LampAllocation#allocateWeighted}): {@code survivors = rint(unmasked * (1 - s))}, one global
 * threshold over the scaled scores, per-layer amounts, then magnitude pruning inside each layer.
 * With {@code T = 1} every {@code kappa} is exactly 1 and the result is exactly LAMP's.
 *
 * <p>Stage 2 of the method (retraining with surrogate gradients, masks fixed) is an ordinary
 * training of the masked graph in a {@code GraphBlock} with a {@code MaskingListener}.
 */
public final class SlampAllocation {
  private static final Logger LOG = LoggerFactory.getLogger(SlampAllocation.class);

  private SlampAllocation() {}

  /**
   * The outcome.
   *
   * @param kappa per layer (qualified parameter name), the temporal factor used
   * @param beta per layer, the membrane decay used for the step weights
   * @param allocation the LAMP-style allocation over the scaled scores
   */
  public record Result(Map<String, Double> kappa, Map<String, Double> beta, LampAllocation.Result allocation) {
    /** Copies the maps. */
    public Result {
      kappa = Collections.unmodifiableMap(new LinkedHashMap<>(kappa));
      beta = Collections.unmodifiableMap(new LinkedHashMap<>(beta));
      Objects.requireNonNull(allocation, "allocation");
    }
  }

  /**
   * Allocates over given weights with given temporal factors.
   *
   * @param kappa per layer, a finite {@code kappa > 0}
   * @throws IllegalArgumentException as {@link LampAllocation#allocateWeighted}
   */
  public static LampAllocation.Result allocate(Map<String, ? extends TensorData> weights,
      Map<String, ? extends TensorData> masks, double sparsity, Map<String, Double> kappa) {
    return LampAllocation.allocateWeighted(weights, masks, sparsity, kappa);
  }

  /**
   * Allocates over the target parameters of {@code graph} (current masks honoured); the graph is
   * not changed.
   *
   * @param stats calibration statistics covering every target's layer
   * @throws IllegalArgumentException naming the layer without statistics, or as {@link
   *     LampAllocation#allocate(Graph, Targets, double)}
   */
  public static Result allocate(Graph graph, Targets targets, double sparsity, SpikeStatistics stats) {
    MaskSelector.requireSparsity(sparsity);
    Objects.requireNonNull(stats, "stats");
    Map<String, TensorData> weights = new LinkedHashMap<>();
    Map<String, TensorData> masks = new LinkedHashMap<>();
    Map<String, Double> kappa = new LinkedHashMap<>();
    Map<String, Double> beta = new LinkedHashMap<>();
    java.util.List<Parameter> params = targets.resolve(graph);
    for (Parameter p : params) {
      if (!stats.layers().contains(p.nodeName())) {
        throw new IllegalArgumentException("no SLAMP calibration statistics for layer '" + p.nodeName()
            + "' (parameter '" + p.qualifiedName() + "'); collect them with SpikeStatistics.forTargets on the same"
            + " targets");
      }
    }
    for (Parameter p : params) {
      Masks.requireFinite(p);
      String layer = p.nodeName();
      double b = TemporalFactors.membraneDecay(graph, layer);
      weights.put(p.qualifiedName(), p.value());
      if (p.hasMask()) {
        masks.put(p.qualifiedName(), p.mask());
      }
      beta.put(p.qualifiedName(), b);
      kappa.put(p.qualifiedName(), TemporalFactors.kappa(stats.meanNorms(layer), b));
    }
    LampAllocation.Result r = allocate(weights, masks, sparsity, kappa);
    LOG.debug("SLAMP allocation at sparsity {}: kappa {}, amounts {}", sparsity, kappa, r.amounts());
    return new Result(kappa, beta, r);
  }

  /**
   * Allocates and attaches the masks (all-or-nothing: on an exception the graph is unchanged).
   *
   * @throws IllegalArgumentException as {@link #allocate(Graph, Targets, double, SpikeStatistics)}
   */
  public static PruningResult prune(Graph graph, Targets targets, double sparsity, SpikeStatistics stats) {
    Result r = allocate(graph, targets, sparsity, stats);
    Masks.apply(graph, r.allocation().masks());
    SparsityReport report = SparsityReport.of(graph, r.allocation().masks().names());
    LOG.info("SLAMP pruned {} parameter(s) at sparsity {}: {} of {} weights masked", r.allocation().masks().size(),
        sparsity, report.maskedZeros(), report.numel());
    return new PruningResult(r.allocation().masks(), report);
  }
}
