package org.prunekit.analysis.federated;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable weighted communication graph: named clients (nodes, indexed in insertion order) and
 * undirected {@link Link}s (indexed in insertion order).
 *
 * <pre>{@code
 * CommunicationGraph g = CommunicationGraph.builder()
 *     .addClients("a", "b", "c")
 *     .addLink(Link.of("a", "b", 10e6))
 *     .addLink(Link.of("b", "c", 5e6))
 *     .build();
 * }</pre>
 */
public final class CommunicationGraph {
  private final List<String> clients;
  private final Map<String, Integer> index;
  private final List<Link> links;
  /** adjacency[node] = pairs {neighbour, link index}, neighbours ascending. */
  private final int[][][] adjacency;

  private CommunicationGraph(List<String> clients, List<Link> links) {
    this.clients = List.copyOf(clients);
    this.links = List.copyOf(links);
    this.index = new LinkedHashMap<>();
    for (int i = 0; i < clients.size(); i++) {
      index.put(clients.get(i), i);
    }
    List<List<int[]>> adj = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      adj.add(new ArrayList<>());
    }
    for (int e = 0; e < links.size(); e++) {
      int u = index.get(links.get(e).a());
      int v = index.get(links.get(e).b());
      adj.get(u).add(new int[] {v, e});
      adj.get(v).add(new int[] {u, e});
    }
    adjacency = new int[clients.size()][][];
    for (int i = 0; i < clients.size(); i++) {
      List<int[]> l = adj.get(i);
      l.sort((p, q) -> Integer.compare(p[0], q[0]));
      adjacency[i] = l.toArray(new int[0][]);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Client names in index order. */
  public List<String> clients() {
    return clients;
  }

  /** Links in index order. */
  public List<Link> links() {
    return links;
  }

  /** Number of clients. */
  public int size() {
    return clients.size();
  }

  /**
   * The index of client {@code name}.
   *
   * @throws IllegalArgumentException naming the unknown client
   */
  public int indexOf(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("unknown client '" + name + "'; clients are " + clients);
    }
    return i;
  }

  /** The name of client {@code i}. */
  public String client(int i) {
    return clients.get(i);
  }

  /** The link with index {@code e}. */
  public Link link(int e) {
    return links.get(e);
  }

  /** Neighbours of {@code node} as pairs {@code {neighbour, link index}}, neighbours ascending. */
  int[][] neighbours(int node) {
    return adjacency[node];
  }

  /** Indices of clients reachable from {@code node} (including itself), as a boolean mask. */
  public boolean[] reachableFrom(int node) {
    boolean[] seen = new boolean[size()];
    java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();
    seen[node] = true;
    q.add(node);
    while (!q.isEmpty()) {
      int u = q.poll();
      for (int[] nb : adjacency[u]) {
        if (!seen[nb[0]]) {
          seen[nb[0]] = true;
          q.add(nb[0]);
        }
      }
    }
    return seen;
  }

  /** Builder of a {@link CommunicationGraph}. */
  public static final class Builder {
    private final List<String> clients = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();

    private Builder() {}

    /** Adds clients (names must be unique and non-blank). */
    public Builder addClients(String... names) {
      Collections.addAll(clients, names);
      return this;
    }

    /** Adds a link (both ends must be clients when {@link #build} runs). */
    public Builder addLink(Link link) {
      links.add(Objects.requireNonNull(link, "link"));
      return this;
    }

    /**
     * Builds the graph.
     *
     * @throws IllegalArgumentException for no clients, a duplicate or blank client name, a link to
     *     an unknown client, or two links between the same pair
     */
    public CommunicationGraph build() {
      if (clients.isEmpty()) {
        throw new IllegalArgumentException("a communication graph needs at least one client");
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String c : clients) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("client names must be non-blank, got '" + c + "'");
        }
        if (!seen.add(c)) {
          throw new IllegalArgumentException("duplicate client '" + c + "'");
        }
      }
      java.util.Set<String> pairs = new java.util.HashSet<>();
      for (Link l : links) {
        for (String end : new String[] {l.a(), l.b()}) {
          if (!seen.contains(end)) {
            throw new IllegalArgumentException("link " + l.a() + "-" + l.b() + " names unknown client '" + end + "'");
          }
        }
        String key = l.a().compareTo(l.b()) < 0 ? l.a() + "\u0000" + l.b() : l.b() + "\u0000" + l.a();
        if (!pairs.add(key)) {
          throw new IllegalArgumentException("two links between '" + l.a() + "' and '" + l.b() + "'");
        }
      }
      return new CommunicationGraph(clients, links);
    }
  }
}
