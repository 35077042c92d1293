package org.prunekit.criteria.llm;

import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.activation.RiaCriterion;
import org.prunekit.criteria.activation.RiaReallocationReconstructor;
import org.prunekit.criteria.calibration.BlockPartition;
import org.prunekit.criteria.calibration.CalibrationMode;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialPruner;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.sparsegpt.SparseGptReconstructor;

/**
 * The language-model pruning recipe of docs/llm.md: every weight inside the numbered blocks
 * ({@code layers.i.}: wq/wk/wv/wo/w1/w2/w3 of a llama2.c graph; not the embedding, not the
 * classifier) pruned block by block with {@link SequentialPruner}.
 *
 * <ul>
 *   <li>Unstructured ({@code pattern == null}): {@code sparsity} with {@code scope}, or when that is
 *       null each criterion's reference scope (magnitude per layer; Wanda per output row; RIA its
 *       own default).
 *   <li>N:M: the pattern's groups per row (the sparsity argument is ignored).
 *   <li>{@code "sparsegpt"} runs {@link SparseGptReconstructor#defaults()} (block 128, percdamp 0.01)
 *       through the same pruner and updates the surviving weights.
 *   <li>{@code "ria-reallocation"} (N:M only) runs RIA with its heuristic channel reallocation
 *       ({@link RiaReallocationReconstructor#reference()}) through the same pruner;
 *       {@code "ria-reallocation-keep-better"} uses the reallocated order only where it keeps more
 *       score, {@code "ria-reallocation-lsa"} adds the LSA refinement.
 * </ul>
 */
public final class LlmPruning {
  /** The prefix of the numbered blocks of a llama2.c graph. */
  public static final String BLOCK_PREFIX = "layers.";
  /** The criterion name for RIA with N:M channel reallocation (the reference setting). */
  public static final String REALLOCATION = "ria-reallocation";
  /** RIA reallocation used only where it keeps more score than the identity order. */
  public static final String REALLOCATION_KEEP_BETTER = "ria-reallocation-keep-better";
  /** RIA reallocation with the LSA refinement. */
  public static final String REALLOCATION_LSA = "ria-reallocation-lsa";

  private LlmPruning() {}

  /** Whether {@code name} is one of the RIA channel-reallocation recipes. */
  public static boolean isReallocation(String name) {
    return REALLOCATION.equals(name) || REALLOCATION_KEEP_BETTER.equals(name) || REALLOCATION_LSA.equals(name);
  }

  /**
   * Prunes {@code graph} in place.
   *
   * @param graph a llama2.c-style graph with blocks {@code layers.0.}, {@code layers.1.}, ...
   * @param criterion a criterion name ({@code magnitude}, {@code wanda}, {@code ria}, {@code sparsegpt}, ...)
   * @param sparsity fraction pruned (unstructured)
   * @param pattern an N:M pattern, or null for unstructured
   * @param scope the unstructured scope, or null for the criterion's reference scope
   * @param mode sequential (Wanda's procedure) or dense statistics
   * @param calibration calibration windows (null only for weight-only criteria)
   * @return what was pruned, with the calibration provenance
   * @throws IllegalArgumentException if the spec is invalid; the graph is then unchanged
   */
  public static SequentialResult prune(Graph graph, String criterion, double sparsity, NmPattern pattern, Scope scope,
      CalibrationMode mode, CalibrationSet calibration) {
    Objects.requireNonNull(criterion, "criterion");
    boolean realloc = isReallocation(criterion);
    if (realloc && pattern == null) {
      throw new IllegalArgumentException("criterion '" + criterion + "' needs an N:M pattern");
    }
    BlockPartition part = BlockPartition.numbered(graph, BLOCK_PREFIX);
    PruningSpec.Builder sb = PruningSpec.builder().setCriterion(realloc ? "ria" : criterion)
        .optTargets(SequentialPruner.blockTargets(graph, part));
    if (pattern != null) {
      sb.optPattern(pattern);
    } else {
      sb.setSparsity(sparsity);
      if (scope != null) {
        sb.optScope(scope);
      } else if (criterion.equals("magnitude")) {
        sb.optScope(Scope.LAYER);
      }
    }
    SequentialPruner.Builder pb = SequentialPruner.builder().setSpec(sb.build()).setPartition(part)
        .optMode(Objects.requireNonNull(mode, "mode"));
    if (calibration != null) {
      pb.optCalibration(calibration);
    }
    if (criterion.equals("sparsegpt")) {
      pb.optReconstructor(SparseGptReconstructor.defaults());
    } else if (realloc) {
      pb.optReconstructor(new RiaReallocationReconstructor(new RiaCriterion(),
          criterion.equals(REALLOCATION_KEEP_BETTER), criterion.equals(REALLOCATION_LSA)));
    }
    return pb.build().prune(graph);
  }
}
