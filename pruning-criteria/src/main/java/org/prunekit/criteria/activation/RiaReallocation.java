package org.prunekit.criteria.activation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.pattern.NmSelector;

/**
 * RIA's heuristic channel reallocation for N:M sparsity (spec B3, {@code --reallocation} with
 * {@code --importance_score sum}).
 *
 * <ol>
 *   <li>Column importance: the sum of each input column of the score matrix {@code S}; columns are
 *       sorted ascending (stable: equal sums keep column order).
 *   <li>Zig-zag deal: with {@code C} columns and groups of {@code M}, position {@code p} ({@code 0
 *       <= p < M}) of every group receives the {@code p}-th slice {@code sorted[C*p/M, C*(p+1)/M)} of
 *       the sorted columns, in ascending order for even {@code p} and reversed for odd {@code p}
 *       (the reference's "odd positions ascending, even reversed", counted from 1): {@code
 *       permutation[p + M*i] = slice_p[i]}. Permuted column {@code k} is original column {@code
 *       permutation[k]}.
 *   <li>N:M selection ({@link NmSelector}) on the permuted matrix; the mask is mapped back to the
 *       original column order ({@code mask[:, permutation[k]] = permutedMask[:, k]}). The mask is
 *       exactly N:M in the permuted order, not in the original one: the permutation is meant to
 *       be applied to the weight's columns (and the producing layer's outputs) for sparse kernels.
 * </ol>
 *
 * <p>The optional linear-sum-assignment refinement ({@code --lsa}) is {@link RiaLsa} ({@code lsa =
 * true} in {@link #select(String, TensorData, NmPattern, boolean, boolean)}; PruneKit's definition
 * is documented there and in docs/criteria.md). <b>Not implemented:</b> the reference's other
 * importance scores ({@code retained_degree_*}).
 *
 * <p><b>Deviation (optional):</b> the reference always uses the reallocated mask, even when the
 * heuristic retains a smaller score sum than plain N:M (it only prints both sums). With {@code
 * keepBetter = true} the reallocated mask is used only if it retains at least as much total score
 * as the identity order, so reallocation never loses; {@code keepBetter = false} reproduces the
 * reference.
 */
public final class RiaReallocation {
  private RiaReallocation() {}

  /**
   * The outcome for one parameter.
   *
   * @param mask the N:M-in-permuted-order mask in the original column order (1 = keep)
   * @param permutation the column permutation the mask is N:M under (identity if not reallocated)
   * @param retainedIdentity sum of the scores kept by plain N:M in the original order
   * @param retainedReallocated sum of the scores kept with the zig-zag permutation
   * @param reallocated whether {@link #mask} uses the zig-zag permutation
   */
  public record Result(Tensor mask, int[] permutation, double retainedIdentity, double retainedReallocated,
      boolean reallocated) {
    /** Copies the permutation. */
    public Result {
      Objects.requireNonNull(mask, "mask");
      permutation = permutation.clone();
    }

    @Override
    public int[] permutation() {
      return permutation.clone();
    }
  }

  /**
   * The zig-zag column permutation of a score matrix viewed as {@code [rows, columns]}.
   *
   * @param name the parameter, for messages
   * @param scores the scores
   * @param groupM the group length M
   * @throws IllegalArgumentException naming the parameter if M does not divide the width or a score
   *     is NaN
   */
  public static int[] permutation(String name, TensorData scores, int groupM) {
    Shape s = scores.shape();
    int rows = s.rank() == 0 ? 1 : s.get(0);
    int cols = rows == 0 ? 0 : Math.toIntExact(s.size() / rows);
    if (groupM < 1 || cols % groupM != 0) {
      throw new IllegalArgumentException("RIA reallocation of '" + name + "': input width " + cols
          + " is not a multiple of groupM=" + groupM);
    }
    float[] v = scores.toFloatArray();
    double[] colSum = new double[cols];
    for (int i = 0; i < v.length; i++) {
      if (Float.isNaN(v[i])) {
        throw new IllegalArgumentException("score for '" + name + "' is NaN at index " + i + " (shape " + s + ")");
      }
      colSum[i % cols] += v[i];
    }
    Integer[] order = new Integer[cols];
    for (int j = 0; j < cols; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(colSum[a], colSum[b])); // stable
    int per = cols / groupM;
    int[] perm = new int[cols];
    for (int p = 0; p < groupM; p++) {
      int from = (int) ((long) cols * p / groupM);
      for (int i = 0; i < per; i++) {
        int src = p % 2 == 0 ? from + i : from + per - 1 - i;
        perm[p + groupM * i] = order[src];
      }
    }
    return perm;
  }

  /**
   * Selects an N:M mask with channel reallocation.
   *
   * @param name the parameter, for messages
   * @param scores the scores ({@code [out, in*k...]} view; {@code -Infinity} marks entries that must
   *     be pruned, e.g. already masked ones, and counts as 0 in every sum)
   * @param pattern keepN of groupM
   * @param keepBetter use the reallocation only if it retains at least the identity's score sum
   * @throws IllegalArgumentException naming the parameter if M does not divide the width or a score
   *     is NaN
   */
  public static Result select(String name, TensorData scores, NmPattern pattern, boolean keepBetter) {
    return select(name, scores, pattern, keepBetter, false);
  }

  /**
   * As {@link #select(String, TensorData, NmPattern, boolean)}, with {@code lsa} refining the
   * zig-zag permutation by {@link RiaLsa#refine} (blocks of {@link RiaLsa#DEFAULT_BLOCK_GROUPS}
   * groups) before the N:M selection.
   */
  public static Result select(String name, TensorData scores, NmPattern pattern, boolean keepBetter, boolean lsa) {
    Shape shape = scores.shape();
    float[] v = scores.toFloatArray();
    int rows = shape.rank() == 0 ? 1 : shape.get(0);
    int cols = rows == 0 ? 0 : v.length / rows;
    float[] finite = v.clone();
    for (int i = 0; i < finite.length; i++) {
      if (finite[i] == Float.NEGATIVE_INFINITY) {
        finite[i] = 0f;
      }
    }
    int[] perm = permutation(name, new Tensor(shape, finite), pattern.groupM());
    if (lsa) {
      perm = RiaLsa.refine(name, new Tensor(shape, finite), perm, pattern, RiaLsa.DEFAULT_BLOCK_GROUPS);
    }
    Tensor plain = NmSelector.mask(name, scores, pattern);
    float[] permuted = new float[v.length];
    for (int r = 0, base = 0; r < rows; r++, base += cols) {
      for (int k = 0; k < cols; k++) {
        permuted[base + k] = v[base + perm[k]];
      }
    }
    float[] pm = NmSelector.mask(name, new Tensor(shape, permuted), pattern).data();
    float[] back = new float[v.length];
    for (int r = 0, base = 0; r < rows; r++, base += cols) {
      for (int k = 0; k < cols; k++) {
        back[base + perm[k]] = pm[base + k];
      }
    }
    Tensor realloc = new Tensor(shape, back);
    double before = retained(finite, plain.data());
    double after = retained(finite, back);
    boolean use = !keepBetter || after >= before;
    if (use) {
      return new Result(realloc, perm, before, after, true);
    }
    int[] identity = new int[cols];
    Arrays.setAll(identity, j -> j);
    return new Result(plain, identity, before, after, false);
  }

  /** The sum of the scores a mask keeps ({@code -Infinity} scores count as 0). */
  public static double retained(TensorData scores, TensorData mask) {
    if (!scores.shape().equals(mask.shape())) {
      throw new IllegalArgumentException("scores " + scores.shape() + " and mask " + mask.shape() + " differ in shape");
    }
    return retained(scores.toFloatArray(), mask.toFloatArray());
  }

  private static double retained(float[] s, float[] m) {
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      if (m[i] != 0f && s[i] != Float.NEGATIVE_INFINITY) {
        sum += s[i];
      }
    }
    return sum;
  }

  /**
   * Prunes the targets of {@code graph} with RIA scores and N:M channel reallocation, all or
   * nothing: every check (finite weights, norms present, M divides every width) runs before any
   * mask is attached. Parameters that already carry a mask keep their pruned entries (scored
   * {@code -Infinity}, the new mask ANDed with the old).
   *
   * @param graph the graph, changed in place
   * @param criterion the RIA criterion (its exponent {@code a})
   * @param pattern keepN of groupM
   * @param targets the parameters to prune
   * @param inputs calibration input norms for every target
   * @param keepBetter see {@link #select}
   * @return the masks and sparsity report, plus (through {@code results}) the per-parameter details
   * @throws IllegalArgumentException naming the parameter at fault; the graph is then unchanged
   */
  public static Pruned prune(Graph graph, RiaCriterion criterion, NmPattern pattern, Targets targets,
      ScoringInputs inputs, boolean keepBetter) {
    return prune(graph, criterion, pattern, targets, inputs, keepBetter, false);
  }

  /** As {@link #prune(Graph, RiaCriterion, NmPattern, Targets, ScoringInputs, boolean)}, optionally with LSA refinement. */
  public static Pruned prune(Graph graph, RiaCriterion criterion, NmPattern pattern, Targets targets,
      ScoringInputs inputs, boolean keepBetter, boolean lsa) {
    List<Parameter> params = targets.resolve(graph);
    List<ScoringContext> contexts = new ArrayList<>();
    for (Parameter p : params) {
      Masks.requireFinite(p);
      double[] norms = inputs.inputColumnSquaredNorms().get(p.qualifiedName());
      if (norms == null) {
        throw new IllegalArgumentException("criterion 'ria' needs calibration input column norms, but none were given"
            + " for '" + p.qualifiedName() + "'");
      }
      ScoringContext c = ScoringContext.builderFor(p).optInputColumnSquaredNorms(norms).build();
      pattern.requireDivides(p.qualifiedName(), c.columns());
      contexts.add(c);
    }
    Map<String, Result> results = new LinkedHashMap<>();
    MaskSet.Builder masks = MaskSet.builder();
    for (int t = 0; t < params.size(); t++) {
      Parameter p = params.get(t);
      Tensor s = criterion.score(contexts.get(t));
      if (p.hasMask()) {
        float[] sd = s.data();
        float[] md = p.mask().data();
        for (int i = 0; i < sd.length; i++) {
          if (md[i] == 0f) {
            sd[i] = Float.NEGATIVE_INFINITY;
          }
        }
      }
      Result r = select(p.qualifiedName(), s, pattern, keepBetter, lsa);
      Tensor m = r.mask();
      if (p.hasMask()) {
        float[] md = m.data();
        float[] old = p.mask().data();
        for (int i = 0; i < md.length; i++) {
          md[i] = md[i] != 0f && old[i] != 0f ? 1f : 0f;
        }
      }
      results.put(p.qualifiedName(), r);
      masks.put(p.qualifiedName(), m);
    }
    MaskSet set = masks.build();
    Masks.apply(graph, set);
    return new Pruned(new PruningResult(set, SparsityReport.of(graph, set.names())), results);
  }

  /**
   * What {@link #prune} did.
   *
   * @param result the masks and sparsity report
   * @param details per parameter, the reallocation outcome (permutation, score sums)
   */
  public record Pruned(PruningResult result, Map<String, Result> details) {
    /** Copies the map. */
    public Pruned {
      Objects.requireNonNull(result, "result");
      details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }
}
