package org.prunekit.analysis.federated;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntToDoubleFunction;

/**
 * Single-pair path searches on a {@link CommunicationGraph}. A path is returned as the list of link
 * indices from source to destination (empty only when source = destination), or {@code null} when
 * the destination is unreachable. All paths are simple.
 */
public final class PathSearch {
  private PathSearch() {}

  /**
   * Dijkstra: the path minimising the sum of {@code weight.applyAsDouble(linkIndex)} (weights
   * must be non-negative). Ties go to the path found first (lower node indices are settled first).
   */
  public static List<Integer> shortest(CommunicationGraph g, int source, int destination,
      IntToDoubleFunction weight) {
    int n = g.size();
    double[] dist = new double[n];
    int[] viaLink = new int[n];
    int[] prev = new int[n];
    boolean[] done = new boolean[n];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    Arrays.fill(prev, -1);
    dist[source] = 0;
    PriorityQueue<double[]> pq = new PriorityQueue<>((p, q) -> {
      int c = Double.compare(p[0], q[0]);
      return c != 0 ? c : Double.compare(p[1], q[1]);
    });
    pq.add(new double[] {0, source});
    while (!pq.isEmpty()) {
      int u = (int) pq.poll()[1];
      if (done[u]) {
        continue;
      }
      done[u] = true;
      if (u == destination) {
        break;
      }
      for (int[] nb : g.neighbours(u)) {
        double w = weight.applyAsDouble(nb[1]);
        if (w < 0 || Double.isNaN(w)) {
          throw new IllegalArgumentException("negative or NaN weight " + w + " on link " + nb[1]);
        }
        double d = dist[u] + w;
        if (d < dist[nb[0]]) {
          dist[nb[0]] = d;
          prev[nb[0]] = u;
          viaLink[nb[0]] = nb[1];
          pq.add(new double[] {d, nb[0]});
        }
      }
    }
    return done[destination] ? trace(source, destination, prev, viaLink) : null;
  }

  /** Fewest hops (BFS visiting neighbours in ascending index order). */
  public static List<Integer> minHop(CommunicationGraph g, int source, int destination) {
    int n = g.size();
    int[] prev = new int[n];
    int[] viaLink = new int[n];
    Arrays.fill(prev, -1);
    boolean[] seen = new boolean[n];
    ArrayDeque<Integer> q = new ArrayDeque<>();
    seen[source] = true;
    q.add(source);
    while (!q.isEmpty()) {
      int u = q.poll();
      for (int[] nb : g.neighbours(u)) {
        if (!seen[nb[0]]) {
          seen[nb[0]] = true;
          prev[nb[0]] = u;
          viaLink[nb[0]] = nb[1];
          q.add(nb[0]);
        }
      }
    }
    return seen[destination] ? trace(source, destination, prev, viaLink) : null;
  }

  /**
   * Widest path: maximises the minimum link rate along the path (modified Dijkstra); among paths
   * of equal width the one settled first wins.
   */
  public static List<Integer> widest(CommunicationGraph g, int source, int destination) {
    int n = g.size();
    double[] width = new double[n];
    int[] prev = new int[n];
    int[] viaLink = new int[n];
    boolean[] done = new boolean[n];
    Arrays.fill(prev, -1);
    width[source] = Double.POSITIVE_INFINITY;
    PriorityQueue<double[]> pq = new PriorityQueue<>((p, q) -> {
      int c = Double.compare(q[0], p[0]);
      return c != 0 ? c : Double.compare(p[1], q[1]);
    });
    pq.add(new double[] {width[source], source});
    while (!pq.isEmpty()) {
      int u = (int) pq.poll()[1];
      if (done[u]) {
        continue;
      }
      done[u] = true;
      if (u == destination) {
        break;
      }
      for (int[] nb : g.neighbours(u)) {
        double w = Math.min(width[u], g.link(nb[1]).rateBitsPerSecond());
        if (!done[nb[0]] && w > width[nb[0]]) {
          width[nb[0]] = w;
          prev[nb[0]] = u;
          viaLink[nb[0]] = nb[1];
          pq.add(new double[] {w, nb[0]});
        }
      }
    }
    return done[destination] ? trace(source, destination, prev, viaLink) : null;
  }

  /** The nodes visited by {@code path} from {@code source}. */
  public static List<Integer> nodes(CommunicationGraph g, int source, List<Integer> path) {
    List<Integer> out = new ArrayList<>();
    out.add(source);
    int at = source;
    for (int e : path) {
      Link l = g.link(e);
      int a = g.indexOf(l.a());
      int b = g.indexOf(l.b());
      at = at == a ? b : a;
      out.add(at);
    }
    return out;
  }

  private static List<Integer> trace(int source, int destination, int[] prev, int[] viaLink) {
    List<Integer> path = new ArrayList<>();
    for (int v = destination; v != source; v = prev[v]) {
      path.add(viaLink[v]);
    }
    Collections.reverse(path);
    return List.copyOf(path);
  }
}
