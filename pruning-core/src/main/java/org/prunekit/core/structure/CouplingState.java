package org.prunekit.core.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bookkeeping behind {@link DependencyGraph}: channel <em>sources</em> (a layer's output
 * channels, attention heads, embedding dimensions, fixed channels of graph inputs), their
 * <em>atoms</em> (one per unit), union-find over atoms (units that are the same channel) and over
 * sources (channels that form one group), raw parameter members, blockers and notes.
 */
final class CouplingState {
  /** A channel source: {@code size} atoms starting at {@code firstAtom}. */
  record Source(int id, String node, String description, int size, int firstAtom) {}

  /** A parameter axis whose position {@code p} belongs to atom {@code atoms[p]}. */
  record RawMember(String parameter, int axis, GroupMember.Direction direction, int[] atoms) {}

  /** Why channels are blocked: the node at fault and the reason. */
  record Mark(String node, String reason) {}

  final List<Source> sources = new ArrayList<>();
  final List<RawMember> members = new ArrayList<>();
  private final Map<Integer, Set<Mark>> marks = new LinkedHashMap<>();
  private final Map<Integer, Set<String>> notes = new LinkedHashMap<>();
  private int[] atomSource = new int[64];
  private int[] atomParent = new int[64];
  private int[] sourceParent = new int[16];
  private int atomCount;

  /** Creates a source of {@code size} units and returns its atoms. */
  int[] newSource(String node, String description, int size) {
    int id = sources.size();
    sources.add(new Source(id, node, description, size, atomCount));
    if (id >= sourceParent.length) {
      sourceParent = Arrays.copyOf(sourceParent, sourceParent.length * 2);
    }
    sourceParent[id] = id;
    while (atomCount + size > atomSource.length) {
      atomSource = Arrays.copyOf(atomSource, atomSource.length * 2);
      atomParent = Arrays.copyOf(atomParent, atomParent.length * 2);
    }
    int[] atoms = new int[size];
    for (int i = 0; i < size; i++) {
      int a = atomCount++;
      atomSource[a] = id;
      atomParent[a] = a;
      atoms[i] = a;
    }
    return atoms;
  }

  /** Records that positions of {@code parameter} along {@code axis} belong to {@code atoms}. */
  void member(String parameter, int axis, GroupMember.Direction direction, int[] atoms) {
    members.add(new RawMember(parameter, axis, direction, atoms.clone()));
  }

  /** Declares atoms {@code a} and {@code b} the same unit (and their sources one group). */
  void union(int a, int b) {
    int ra = findAtom(a);
    int rb = findAtom(b);
    if (ra != rb) {
      atomParent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
    int sa = findSource(atomSource[a]);
    int sb = findSource(atomSource[b]);
    if (sa != sb) {
      sourceParent[Math.max(sa, sb)] = Math.min(sa, sb);
    }
  }

  /** Blocks the groups of {@code atoms}. */
  void mark(int[] atoms, Mark why) {
    for (int a : atoms) {
      marks.computeIfAbsent(atomSource[a], k -> new LinkedHashSet<>()).add(why);
    }
  }

  /** Attaches a non-blocking caveat to the groups of {@code atoms}. */
  void note(int[] atoms, String text) {
    for (int a : atoms) {
      notes.computeIfAbsent(atomSource[a], k -> new LinkedHashSet<>()).add(text);
    }
  }

  int findAtom(int a) {
    while (atomParent[a] != a) {
      atomParent[a] = atomParent[atomParent[a]];
      a = atomParent[a];
    }
    return a;
  }

  int findSource(int s) {
    while (sourceParent[s] != s) {
      sourceParent[s] = sourceParent[sourceParent[s]];
      s = sourceParent[s];
    }
    return s;
  }

  int sourceOf(int atom) {
    return atomSource[atom];
  }

  Set<Mark> marksOf(int source) {
    return marks.getOrDefault(source, Set.of());
  }

  Set<String> notesOf(int source) {
    return notes.getOrDefault(source, Set.of());
  }
}
