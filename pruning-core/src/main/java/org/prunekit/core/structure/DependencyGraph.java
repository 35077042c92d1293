package org.prunekit.core.structure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;

/**
 * The coupled groups of a graph: what must be removed together when one channel, neuron, head or
 * hidden dimension goes, and what cannot be removed at all and why.
 *
 * <pre>{@code
 * DependencyGraph deps = DependencyGraph.build(graph);
 * deps.unprunable().forEach(System.out::println);   // e.g. 'reshape_3': ambiguous reshape ...
 * PruningGroup g = deps.group("conv1 output channels");
 * System.out.println(g);                              // members and index mappings
 * Graph smaller = PhysicalPruner.apply(graph, StructuralPlan.builder().remove(g, 0, 5).build());
 * }</pre>
 *
 * <p>Building reads the graph and changes nothing. The coupling rules are listed in the {@link
 * org.prunekit.core.structure package documentation}.
 *
 * <h2>How to teach the rules a new layer type</h2>
 *
 * <ol>
 *   <li>In {@code ChannelFlow.apply}, add a branch for the op: read the input channels with {@code
 *       chanOf(input, axis, node)} (this blocks channels that arrive on another axis), record every
 *       parameter slice with {@code st.member(param, axis, OUT|IN, atoms)}, start new units with
 *       {@code st.newSource} (or {@code producer}), unite coupled positions with {@code st.union},
 *       block with {@code st.mark}, and record the output's channels in {@code chans}.
 *   <li>In {@code OpResizer}, rebuild the op from its new input shapes and parameter shapes.
 *   <li>Test the group's members by hand and the output invariant (see {@code
 *       PhysicalPrunerInvariantTest}).
 * </ol>
 *
 * Until then the op's input channels are reported as {@link Unprunable} ("no coupling rule").
 */
public final class DependencyGraph {
  private final Graph graph;
  private final List<PruningGroup> all;
  private final List<PruningGroup> prunable;
  private final List<Unprunable> unprunable;

  private DependencyGraph(Graph graph, List<PruningGroup> all) {
    this.graph = graph;
    this.all = List.copyOf(all);
    List<PruningGroup> p = new ArrayList<>();
    Set<Unprunable> u = new LinkedHashSet<>();
    for (PruningGroup g : all) {
      if (g.isPrunable()) {
        p.add(g);
      }
      u.addAll(g.blockers());
    }
    this.prunable = List.copyOf(p);
    this.unprunable = List.copyOf(u);
  }

  /**
   * Derives the coupled groups of {@code graph}. Reads the graph only.
   *
   * @param graph the graph
   * @return its groups and the reasons some channels cannot be pruned
   */
  public static DependencyGraph build(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    CouplingState st = new CouplingState();
    new ChannelFlow(graph, st).run();
    return new DependencyGraph(graph, assemble(graph, st));
  }

  /** The graph the groups belong to. */
  public Graph graph() {
    return graph;
  }

  /** The groups that can be pruned, in graph order of their roots. */
  public List<PruningGroup> groups() {
    return prunable;
  }

  /** Every group, prunable or not, in graph order of their roots. */
  public List<PruningGroup> allGroups() {
    return all;
  }

  /** Every reason a group cannot be pruned, with the node at fault. */
  public List<Unprunable> unprunable() {
    return unprunable;
  }

  /**
   * The group whose root is {@code root} (e.g. {@code "conv1 output channels"}).
   *
   * @throws IllegalArgumentException listing the roots if there is none
   */
  public PruningGroup group(String root) {
    List<String> roots = new ArrayList<>();
    for (PruningGroup g : all) {
      if (g.root().equals(root)) {
        return g;
      }
      roots.add(g.root());
    }
    throw new IllegalArgumentException("no group with root '" + root + "'; roots: " + roots);
  }

  /**
   * The group owning index {@code index} along {@code axis} of parameter {@code qualifiedName}.
   *
   * @throws IllegalArgumentException if no group holds that slice
   */
  public PruningGroup groupOf(String qualifiedName, int axis, int index) {
    for (PruningGroup g : all) {
      GroupMember m = g.member(qualifiedName, axis);
      if (m != null) {
        for (int u = 0; u < m.units(); u++) {
          for (int i : m.indices(u)) {
            if (i == index) {
              return g;
            }
          }
        }
      }
    }
    throw new IllegalArgumentException("no group holds index " + index + " of axis " + axis + " of '"
        + qualifiedName + "'");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (PruningGroup g : all) {
      sb.append(g);
    }
    return sb.toString();
  }

  private static List<PruningGroup> assemble(Graph graph, CouplingState st) {
    // components of sources, in order of their first source; units = atom classes in order of appearance
    Map<Integer, List<CouplingState.Source>> comps = new LinkedHashMap<>();
    for (CouplingState.Source s : st.sources) {
      comps.computeIfAbsent(st.findSource(s.id()), k -> new ArrayList<>()).add(s);
    }
    Map<Integer, Map<Integer, Integer>> unitOf = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<CouplingState.Source>> e : comps.entrySet()) {
      Map<Integer, Integer> units = new LinkedHashMap<>();
      for (CouplingState.Source s : e.getValue()) {
        for (int a = s.firstAtom(); a < s.firstAtom() + s.size(); a++) {
          units.putIfAbsent(st.findAtom(a), units.size());
        }
      }
      unitOf.put(e.getKey(), units);
    }
    // per component, per raw member, per unit: positions
    Map<Integer, Map<Integer, List<List<Integer>>>> slices = new LinkedHashMap<>();
    for (int mi = 0; mi < st.members.size(); mi++) {
      int[] atoms = st.members.get(mi).atoms();
      for (int pos = 0; pos < atoms.length; pos++) {
        int comp = st.findSource(st.sourceOf(atoms[pos]));
        Map<Integer, Integer> units = unitOf.get(comp);
        int unit = units.get(st.findAtom(atoms[pos]));
        List<List<Integer>> perUnit = slices.computeIfAbsent(comp, k -> new LinkedHashMap<>())
            .computeIfAbsent(mi, k -> emptyLists(units.size()));
        perUnit.get(unit).add(pos);
      }
    }
    List<PruningGroup> groups = new ArrayList<>();
    for (Map.Entry<Integer, List<CouplingState.Source>> e : comps.entrySet()) {
      Map<Integer, List<List<Integer>>> byMember = slices.get(e.getKey());
      if (byMember == null) {
        continue; // fixed channels nothing reads or writes
      }
      String root = e.getValue().get(0).description();
      int size = unitOf.get(e.getKey()).size();
      List<GroupMember> members = new ArrayList<>();
      for (Map.Entry<Integer, List<List<Integer>>> m : byMember.entrySet()) {
        CouplingState.RawMember raw = st.members.get(m.getKey());
        int[][] ix = new int[size][];
        for (int u = 0; u < size; u++) {
          ix[u] = m.getValue().get(u).stream().mapToInt(Integer::intValue).toArray();
        }
        members.add(new GroupMember(raw.parameter(), raw.axis(), raw.direction(), ix));
      }
      Set<Unprunable> blockers = new LinkedHashSet<>();
      Set<String> notes = new LinkedHashSet<>();
      for (CouplingState.Source s : e.getValue()) {
        for (CouplingState.Mark mk : st.marksOf(s.id())) {
          blockers.add(new Unprunable(mk.node(), mk.reason(), root));
        }
        notes.addAll(st.notesOf(s.id()));
      }
      groups.add(new PruningGroup(graph, groups.size(), root, size, members, new ArrayList<>(blockers),
          new ArrayList<>(notes)));
    }
    return groups;
  }

  private static List<List<Integer>> emptyLists(int n) {
    List<List<Integer>> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(new ArrayList<>());
    }
    return l;
  }
}
