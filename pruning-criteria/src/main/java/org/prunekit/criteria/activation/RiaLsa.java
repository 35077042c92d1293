package org.prunekit.criteria.activation;

import java.util.Arrays;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.pattern.NmPattern;

/**
 * RIA's linear-sum-assignment refinement of a channel permutation for N:M sparsity (spec B3,
 * {@code --lsa}). The spec names the idea ("a linear sum assignment per position (Hungarian)") but
 * not its exact form; PruneKit's definition:
 *
 * <ol>
 *   <li>The permuted columns form {@code G = C / M} groups of {@code M} slots; group {@code g} slot
 *       {@code p} holds original column {@code perm[g*M + p]}. A group's retained score is, summed
 *       over rows, the sum of the {@code N} largest of its {@code M} scores (what N:M keeps).
 *   <li>For each slot position {@code p = 0 .. M-1} in turn, the {@code G} columns currently at
 *       position {@code p} are reassigned among the groups, the other slots fixed: the weight of
 *       putting column {@code c_h} into group {@code g} is group {@code g}'s retained score with
 *       {@code c_h} at slot {@code p}; a maximum-weight perfect assignment (Hungarian algorithm,
 *       {@link #assign}) picks the new placement. The identity placement is feasible, so no step
 *       lowers the total retained score.
 *   <li>One sweep over the positions. Groups are processed in consecutive blocks of at most
 *       {@code blockGroups} (the reference's {@code --fast} splits layers into blocks for the same
 *       reason: the assignment costs {@code O(G^3)} and the weights {@code O(G^2 * rows)}).
 * </ol>
 *
 * <p>Scores must be finite (callers map {@code -Infinity}, i.e. already pruned entries, to 0).
 */
public final class RiaLsa {
  /** Default maximum groups per assignment block. */
  public static final int DEFAULT_BLOCK_GROUPS = 256;

  private RiaLsa() {}

  /**
   * The refined permutation (a new array; {@code permutation} is not changed).
   *
   * @param scores finite scores viewed as {@code [rows, columns]}
   * @param permutation the starting column permutation (e.g. {@link RiaReallocation#permutation})
   * @param pattern keepN of groupM
   * @param blockGroups maximum groups per assignment, at least 1
   * @throws IllegalArgumentException if the permutation does not fit the width or a score is not finite
   */
  public static int[] refine(String name, TensorData scores, int[] permutation, NmPattern pattern, int blockGroups) {
    Shape s = scores.shape();
    float[] v = scores.toFloatArray();
    int rows = s.rank() == 0 ? 1 : s.get(0);
    int cols = rows == 0 ? 0 : v.length / rows;
    int m = pattern.groupM();
    int n = pattern.keepN();
    if (permutation.length != cols || cols % m != 0) {
      throw new IllegalArgumentException("RIA LSA of '" + name + "': permutation of " + permutation.length
          + " columns for width " + cols + " with groupM=" + m);
    }
    if (blockGroups < 1) {
      throw new IllegalArgumentException("blockGroups must be >= 1, got " + blockGroups);
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException("RIA LSA of '" + name + "': score at index " + i + " is " + v[i]);
      }
    }
    int[] perm = permutation.clone();
    int groups = cols / m;
    for (int p = 0; p < m; p++) {
      for (int from = 0; from < groups; from += blockGroups) {
        int to = Math.min(groups, from + blockGroups);
        reassign(v, rows, cols, perm, m, n, p, from, to);
      }
    }
    return perm;
  }

  /** Reassigns the columns at slot {@code p} among groups {@code [from, to)}. */
  private static void reassign(float[] v, int rows, int cols, int[] perm, int m, int n, int p, int from, int to) {
    int g = to - from;
    // Per group and row: the top-N sum of the other slots (a), their top-(N-1) sum (b) and their N-th largest (t).
    double[][] a = new double[g][rows];
    double[][] b = new double[g][rows];
    double[][] t = new double[g][rows];
    double[] others = new double[m - 1];
    for (int k = 0; k < g; k++) {
      int base = (from + k) * m;
      for (int r = 0; r < rows; r++) {
        int o = 0;
        for (int q = 0; q < m; q++) {
          if (q != p) {
            others[o++] = v[r * cols + perm[base + q]];
          }
        }
        Arrays.sort(others);
        double sumN = 0;
        for (int i = 0; i < Math.min(n, m - 1); i++) {
          sumN += others[m - 2 - i];
        }
        double sumN1 = 0;
        for (int i = 0; i < n - 1; i++) {
          sumN1 += others[m - 2 - i];
        }
        a[k][r] = sumN;
        b[k][r] = sumN1;
        t[k][r] = n <= m - 1 ? others[m - 1 - n] : Double.NEGATIVE_INFINITY;
      }
    }
    double[][] weight = new double[g][g];
    for (int k = 0; k < g; k++) {
      for (int h = 0; h < g; h++) {
        int c = perm[(from + h) * m + p];
        double w = 0;
        for (int r = 0; r < rows; r++) {
          double x = v[r * cols + c];
          w += x > t[k][r] ? b[k][r] + x : a[k][r];
        }
        weight[k][h] = w;
      }
    }
    int[] pick = assign(weight);
    int[] cur = new int[g];
    for (int h = 0; h < g; h++) {
      cur[h] = perm[(from + h) * m + p];
    }
    for (int k = 0; k < g; k++) {
      perm[(from + k) * m + p] = cur[pick[k]];
    }
  }

  /**
   * A maximum-weight perfect assignment of a square matrix: {@code result[row] = column}, each
   * column used once, maximising {@code sum weight[row][result[row]]} (Hungarian algorithm with
   * potentials, {@code O(n^3)}; deterministic).
   *
   * @throws IllegalArgumentException if the matrix is not square or holds a non-finite value
   */
  public static int[] assign(double[][] weight) {
    int n = weight.length;
    for (double[] row : weight) {
      if (row.length != n) {
        throw new IllegalArgumentException("assignment needs a square matrix, got a row of " + row.length + " for " + n);
      }
      for (double x : row) {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException("assignment weight is " + x);
        }
      }
    }
    // Minimise cost = -weight; 1-based arrays as in the classic formulation.
    double[] u = new double[n + 1];
    double[] w = new double[n + 1];
    int[] match = new int[n + 1]; // match[col] = row
    int[] way = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      match[0] = i;
      int j0 = 0;
      double[] minv = new double[n + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[n + 1];
      do {
        used[j0] = true;
        int i0 = match[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double cur = -weight[i0 - 1][j - 1] - u[i0] - w[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[match[j]] += delta;
            w[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (match[j0] != 0);
      do {
        int j1 = way[j0];
        match[j0] = match[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] result = new int[n];
    for (int j = 1; j <= n; j++) {
      result[match[j] - 1] = j - 1;
    }
    return result;
  }
}
