package org.prunekit.core.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PhysicalPruner;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.prunekit.core.tensor.Tensor;

/** Shared helpers of the zoo tests: perturbed norms, half plans, the zeroed reference, the invariant. */
final class ZooTestSupport {
  /** Bound on |pruned - zeroed| relative to max(1, max |zeroed|) per output tensor. */
  static final float TOLERANCE = 1e-4f;

  private ZooTestSupport() {}

  /**
   * Gives norm parameters and biases values a trained model could have (the initialisers make
   * gammas 1, betas, biases and running means 0 and variances 1, which would hide slicing errors).
   */
  static Graph perturbed(Graph g, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (Parameter p : g.parameters()) {
      float[] d = p.value().data();
      for (int i = 0; i < d.length; i++) {
        switch (p.role()) {
          case GAMMA, RUNNING_VAR -> d[i] = (float) (0.5 + r.nextDouble());
          case BETA, RUNNING_MEAN -> d[i] = (float) (r.nextDouble() - 0.5);
          case BIAS -> d[i] = (float) ((r.nextDouble() - 0.5) * 0.2);
          default -> { }
        }
      }
    }
    return g;
  }

  /** Deterministic inputs for every graph input: values in [-1, 1], or token positions for {@code positions}. */
  static Tensor[] inputs(Graph g, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] x = new Tensor[g.inputs().size()];
    for (int k = 0; k < x.length; k++) {
      InputSpec in = g.inputs().get(k);
      Shape s = in.sampleShape().withBatch(batch);
      if (in.name().equals("positions")) {
        x[k] = ModelZoo.positions(batch, s.get(1));
        continue;
      }
      float[] d = new float[Math.toIntExact(s.size())];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (r.nextDouble() * 2 - 1);
      }
      x[k] = new Tensor(s, d);
    }
    return x;
  }

  /** Removes a seeded random half (rounded down) of the units of every prunable group {@code which} accepts. */
  static StructuralPlan half(DependencyGraph d, Predicate<PruningGroup> which, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StructuralPlan.Builder b = StructuralPlan.builder();
    for (PruningGroup g : d.groups()) {
      if (!which.test(g)) {
        continue;
      }
      List<Integer> units = new ArrayList<>();
      for (int u = 0; u < g.size(); u++) {
        units.add(u);
      }
      Collections.shuffle(units, new java.util.Random(r.nextLong()));
      b.remove(g, units.subList(0, g.size() / 2));
    }
    return b.build();
  }

  /** A copy of {@code g} with every OUT slice of the removed units (weights, biases, all BN/LN parameters) set to 0. */
  static Graph zeroedReference(Graph g, StructuralPlan plan) {
    Graph ref = g.copy();
    for (Map.Entry<PruningGroup, SortedSet<Integer>> e : plan.removals().entrySet()) {
      for (GroupMember m : e.getKey().members()) {
        if (m.direction() != GroupMember.Direction.OUT) {
          continue;
        }
        Tensor t = ref.parameter(m.parameter()).value();
        for (int u : e.getValue()) {
          for (int i : m.indices(u)) {
            zeroSlice(t, m.axis(), i);
          }
        }
      }
    }
    return ref;
  }

  static void zeroSlice(Tensor t, int axis, int index) {
    Shape s = t.shape();
    int n = s.get(axis);
    int inner = Math.toIntExact(s.sizeFrom(axis + 1));
    int outer = Math.toIntExact(s.size() / s.sizeFrom(axis));
    for (int o = 0; o < outer; o++) {
      Arrays.fill(t.data(), (o * n + index) * inner, (o * n + index + 1) * inner, 0f);
    }
  }

  /** Sum of |values| of the slice {@code index} along {@code axis}. */
  static double sliceL1(Tensor t, int axis, int index) {
    Shape s = t.shape();
    int n = s.get(axis);
    int inner = Math.toIntExact(s.sizeFrom(axis + 1));
    int outer = Math.toIntExact(s.size() / s.sizeFrom(axis));
    double sum = 0;
    for (int o = 0; o < outer; o++) {
      for (int i = (o * n + index) * inner; i < (o * n + index + 1) * inner; i++) {
        sum += Math.abs(t.data()[i]);
      }
    }
    return sum;
  }

  /** max |a - b| / max(1, max |a|). */
  static float relDiff(Tensor a, Tensor b) {
    assertEquals(a.shape(), b.shape());
    float scale = 1f;
    float m = 0f;
    for (int i = 0; i < a.size(); i++) {
      scale = Math.max(scale, Math.abs(a.data()[i]));
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m / scale;
  }

  static Tensor run(Graph g, Tensor... x) {
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      return ex.predict(x)[0];
    }
  }

  /**
   * Prunes {@code g} with {@code plan} and asserts the invariant: the smaller graph's output equals
   * the zeroed original's to {@link #TOLERANCE}, and differs from the unpruned output (the removal
   * mattered).
   *
   * @return the pruned graph and the measured relative difference
   */
  static Pruned assertInvariant(Graph g, StructuralPlan plan, Tensor... x) {
    Graph pruned = PhysicalPruner.apply(g, plan);
    Tensor yOriginal = run(g, x);
    Tensor yZeroed = run(zeroedReference(g, plan), x);
    Tensor ySmaller = run(pruned, x);
    float diff = relDiff(yZeroed, ySmaller);
    assertTrue(diff <= TOLERANCE, "pruned vs zeroed original differ by " + diff + " (relative)");
    float effect = relDiff(yOriginal, ySmaller);
    assertTrue(effect > 1e-3f, "removal should change the outputs; it changed them by " + effect);
    return new Pruned(pruned, diff);
  }

  /** A pruned graph and its invariant error. */
  record Pruned(Graph graph, float invariantError) {}

  static CostTotals cost(Graph g) {
    return CostModel.of(g, 1).total();
  }

  /** Dense MACs of node {@code node} at batch 1. */
  static long macsOf(Graph g, String node) {
    return CostModel.of(g, 1).node(node).macs();
  }

  /** "root (size)" of every prunable group, in order. */
  static List<String> prunableRoots(DependencyGraph d) {
    return d.groups().stream().map(g -> g.root() + " (" + g.size() + ")").toList();
  }

  /** "parameter@axis DIRECTION" of every member, in order. */
  static List<String> memberKeys(PruningGroup g) {
    return g.members().stream().map(m -> m.parameter() + "@" + m.axis() + " " + m.direction()).toList();
  }

  /** Asserts every member of {@code g} maps unit u to index u (one channel per unit). */
  static void assertIdentityMappings(PruningGroup g) {
    for (GroupMember m : g.members()) {
      for (int u = 0; u < m.units(); u++) {
        assertEquals(1, m.indices(u).length, m.parameter() + " unit " + u);
        assertEquals(u, m.indices(u)[0], m.parameter() + " unit " + u);
      }
    }
  }

  /** The BatchNorm members' keys of node {@code bn}. */
  static List<String> bn(String bn) {
    return List.of(bn + ".gamma@0 OUT", bn + ".beta@0 OUT", bn + ".running_mean@0 OUT", bn + ".running_var@0 OUT");
  }
}
