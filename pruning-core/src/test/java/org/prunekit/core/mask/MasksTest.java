package org.prunekit.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

class MasksTest {

  /** x[3] -> a: Linear 3->2 (no bias) -> b: Linear 2->2 (bias). */
  private static Graph graph() {
    return GraphBuilder.create(1)
        .input("x", 3)
        .node("a", new Linear(3, 2, false), Map.of("weight", Tensor.of(new float[] {1, -2, 3, -4, 5, -6}, 2, 3)), "x")
        .node("b", new Linear(2, 2, true), Map.of(
            "weight", Tensor.of(new float[] {0.5f, 0.25f, -1, 2}, 2, 2),
            "bias", Tensor.of(new float[] {7, 8}, 2)), "a")
        .build();
  }

  private static MaskSet twoMasks() {
    return MaskSet.builder()
        .put("a.weight", Tensor.of(new float[] {1, 0, 1, 0, 1, 0}, 2, 3))
        .put("b.weight", Tensor.of(new float[] {0, 1, 1, 1}, 2, 2))
        .build();
  }

  @Test
  void applyZeroesPrunedWeightsKeepsMasksAndReports() {
    Graph g = graph();
    SparsityReport r = Masks.apply(g, twoMasks());

    assertArrayEquals(new float[] {1, 0, 3, 0, 5, 0}, g.parameter("a.weight").value().data());
    assertArrayEquals(new float[] {0, 0.25f, -1, 2}, g.parameter("b.weight").value().data());
    assertTrue(g.parameter("a.weight").hasMask());
    assertFalse(g.parameter("b.bias").hasMask());
    assertEquals(2, r.entries().size());
    assertEquals(3, r.entry("a.weight").maskedZeros());
    assertEquals(3, r.entry("a.weight").actualZeros());
    assertEquals(0.5, r.entry("a.weight").sparsity(), 1e-12);
    assertEquals(1, r.entry("b.weight").maskedZeros());
    assertEquals(10, r.numel());
    assertEquals(4, r.maskedZeros());
    assertEquals(0.4, r.maskedSparsity(), 1e-12);
    assertTrue(r.emptiedParameters().isEmpty());
  }

  @Test
  void masksStayAttachedSoReapplyUndoesRegrowth() {
    Graph g = graph();
    Masks.apply(g, twoMasks());
    float[] w = g.parameter("a.weight").value().data();
    w[1] = 9f; // what an optimizer step would do
    w[0] = 2f;
    assertEquals(2, Masks.reapply(g));
    assertEquals(0f, w[1]);
    assertEquals(2f, w[0]);
  }

  @Test
  void nanWeightIsRejectedNamingParameterAndIndexAndNothingChanges() {
    Graph g = graph();
    g.parameter("b.weight").value().data()[3] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masks.apply(g, twoMasks()));
    assertTrue(e.getMessage().contains("'b.weight'"), e.getMessage());
    assertTrue(e.getMessage().contains("index 3 [1, 1]"), e.getMessage());
    for (Parameter p : g.parameters()) {
      assertFalse(p.hasMask(), p.qualifiedName());
    }
    // a.weight comes first in the mask set, yet was not touched
    assertArrayEquals(new float[] {1, -2, 3, -4, 5, -6}, g.parameter("a.weight").value().data());
  }

  @Test
  void infiniteWeightIsRejectedToo() {
    Graph g = graph();
    g.parameter("a.weight").value().data()[4] = Float.NEGATIVE_INFINITY;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masks.apply(g, twoMasks()));
    assertTrue(e.getMessage().contains("'a.weight' holds -Infinity at index 4 [1, 1]"), e.getMessage());
  }

  @Test
  void unknownNameOrWrongShapeIsRejectedBeforeAnyChange() {
    Graph g = graph();
    MaskSet unknown = MaskSet.builder()
        .put("a.weight", Tensor.of(new float[] {0, 0, 0, 0, 0, 0}, 2, 3))
        .put("c.weight", Tensor.of(new float[] {1}, 1))
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masks.apply(g, unknown));
    assertTrue(e.getMessage().contains("'c.weight'") && e.getMessage().contains("no node 'c'"), e.getMessage());

    MaskSet badParam = MaskSet.builder().put("a.gamma", Tensor.of(new float[] {1}, 1)).build();
    e = assertThrows(IllegalArgumentException.class, () -> Masks.apply(g, badParam));
    assertTrue(e.getMessage().contains("'a.gamma'") && e.getMessage().contains("[weight]"), e.getMessage());

    MaskSet badShape = MaskSet.builder().put("a.weight", Tensor.of(new float[] {1, 0, 1, 0, 1, 0}, 3, 2)).build();
    e = assertThrows(IllegalArgumentException.class, () -> Masks.apply(g, badShape));
    assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    assertTrue(Masks.current(g).isEmpty());
    assertArrayEquals(new float[] {1, -2, 3, -4, 5, -6}, g.parameter("a.weight").value().data());
  }

  @Test
  void nonBinaryMaskValueIsRejectedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskSet.of(Map.of("a.weight", Tensor.of(new float[] {1, 0.5f, 1, 0, 1, 0}, 2, 3))));
    assertTrue(e.getMessage().contains("'a.weight' holds 0.5 at index 1"), e.getMessage());
  }

  @Test
  void maskSetIsImmutable() {
    float[] src = {1, 0, 1, 0, 1, 0};
    MaskSet m = MaskSet.of(Map.of("a.weight", Tensor.of(src, 2, 3)));
    src[0] = 0;
    m.mask("a.weight").data()[2] = 0;
    assertEquals(3, m.zeros("a.weight"));
    Graph g = graph();
    Masks.apply(g, m);
    g.parameter("a.weight").mask().data()[0] = 0; // mutating the attached copy ...
    assertEquals(3, m.zeros("a.weight")); // ... does not reach the set
  }

  @Test
  void emptiedLayerIsAllowedButReported() {
    Graph g = graph();
    MaskSet m = MaskSet.builder()
        .put("a.weight", Tensor.of(new float[] {1, 0, 1, 0, 1, 0}, 2, 3))
        .put("b.weight", Tensor.zeros(new org.prunekit.core.graph.Shape(2, 2)))
        .build();
    SparsityReport r = Masks.apply(g, m);
    assertTrue(r.entry("b.weight").emptied());
    assertEquals(2, r.entry("b.weight").emptyRows());
    assertEquals(List.of("b.weight"), r.emptiedParameters());
    assertFalse(r.entry("a.weight").emptied());
    assertTrue(r.toString().contains("EMPTIED"), r.toString());
  }

  @Test
  void bakeZeroesAndDetaches() {
    Graph g = graph();
    Masks.apply(g, twoMasks());
    g.parameter("a.weight").value().data()[1] = 3f; // regrown in training
    MaskSet baked = Masks.bake(g);
    assertEquals(twoMasks(), baked);
    assertNull(g.parameter("a.weight").mask());
    assertNull(g.parameter("b.weight").mask());
    assertArrayEquals(new float[] {1, 0, 3, 0, 5, 0}, g.parameter("a.weight").value().data());
    SparsityReport r = SparsityReport.of(g);
    assertEquals(3, r.entry("a.weight").actualZeros());
    assertEquals(0, r.entry("a.weight").maskedZeros());
    assertFalse(r.entry("a.weight").masked());
    assertEquals(0, Masks.reapply(g));
  }

  @Test
  void removeDetachesWithoutTouchingValues() {
    Graph g = graph();
    Masks.apply(g, twoMasks());
    g.parameter("a.weight").value().data()[1] = 3f;
    MaskSet removed = Masks.remove(g);
    assertEquals(twoMasks(), removed);
    assertTrue(Masks.current(g).isEmpty());
    assertEquals(3f, g.parameter("a.weight").value().data()[1]);
  }

  @Test
  void andKeepsOnlyEntriesBothKeep() {
    MaskSet a = MaskSet.of(Map.of("a.weight", Tensor.of(new float[] {1, 1, 0, 0}, 4)));
    Map<String, Tensor> bm = new LinkedHashMap<>();
    bm.put("a.weight", Tensor.of(new float[] {1, 0, 1, 0}, 4));
    bm.put("b.weight", Tensor.of(new float[] {0, 1}, 2));
    MaskSet and = a.and(MaskSet.of(bm));
    assertArrayEquals(new float[] {1, 0, 0, 0}, and.mask("a.weight").data());
    assertArrayEquals(new float[] {0, 1}, and.mask("b.weight").data());
  }

  @Test
  void reportTableListsEveryParameterAndOverall() {
    Graph g = graph();
    Masks.apply(g, twoMasks());
    String table = SparsityReport.of(g).toString();
    String[] lines = table.split("\n");
    assertEquals(5, lines.length, table); // header, a.weight, b.weight, b.bias, overall
    assertTrue(lines[1].startsWith("a.weight") && lines[1].contains("50.00%"), table);
    assertTrue(lines[3].startsWith("b.bias") && lines[3].contains(" - "), table);
    assertTrue(lines[4].startsWith("overall") && lines[4].contains("33.33%"), table); // 4 masked of 12
  }
}
