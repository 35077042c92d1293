package org.prunekit.criteria;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.magnitude.MagnitudeCriterion;

class CriteriaTest {

  /**
   * A test criterion found only through the class-name fallback: |w| times the input column norm
   * (Wanda's score), declaring that it needs calibration norms.
   */
  public static final class ColumnNormCriterion implements Criterion {
    @Override
    public String name() {
      return "test-column-norm";
    }

    @Override
    public Tensor score(ScoringContext c) {
      double[] norms = c.requireInputColumnSquaredNorms(name());
      float[] w = c.weight().toFloatArray();
      float[] s = new float[w.length];
      int cols = c.columns();
      for (int i = 0; i < w.length; i++) {
        s[i] = (float) (Math.abs(w[i]) * Math.sqrt(norms[i % cols]));
      }
      return new Tensor(c.weightShape(), s);
    }

    @Override
    public Set<Requirement> requirements() {
      return Set.of(Requirement.INPUT_COLUMN_NORMS);
    }
  }

  @Test
  void serviceLoaderFindsMagnitudeByShortName() {
    assertInstanceOf(MagnitudeCriterion.class, Criteria.byName("magnitude"));
    assertInstanceOf(MagnitudeCriterion.class, Criteria.byName("Magnitude"));
    assertTrue(Criteria.names().contains("magnitude"), Criteria.names().toString());
    assertTrue(Criteria.all().stream().anyMatch(c -> c instanceof MagnitudeCriterion));
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("wandaa"));
    assertTrue(e.getMessage().contains("'wandaa'") && e.getMessage().contains("magnitude"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PruningSpec.of("nope", 0.5));
    assertTrue(e.getMessage().contains("magnitude") && e.getMessage().contains("wanda"), e.getMessage());
  }

  @Test
  void fullyQualifiedClassNameIsAFallback() {
    assertInstanceOf(MagnitudeCriterion.class, Criteria.byName(MagnitudeCriterion.class.getName()));
    assertInstanceOf(ColumnNormCriterion.class, Criteria.byName(ColumnNormCriterion.class.getName()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("java.lang.String"));
    assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("org.example.Missing"));
    assertTrue(e.getMessage().contains("no such class") && e.getMessage().contains("magnitude"), e.getMessage());
  }

  private static Graph wandaExample() {
    return GraphBuilder.create(0).input("x", 2)
        .node("fc", new org.prunekit.core.graph.op.Linear(2, 2, false),
            Map.of("weight", Tensor.of(new float[] {1, -2, 3, 0.5f}, 2, 2)), "x")
        .build();
  }

  @Test
  void calibrationInputsReachTheCriterionAndChangeTheMask() {
    // spec B2 test 1: tokens x1=[1,0], x2=[1,0.1] -> ||X_j||^2 = [2, 0.01]; per-row 50 % prunes W_01 and W_11,
    // where magnitude would prune W_00 and W_11.
    Graph g = wandaExample();
    PruningSpec spec = PruningSpec.builder().setCriterion(new ColumnNormCriterion()).setSparsity(0.5)
        .optScope(Scope.ROW).build();
    Pruning.prune(g, spec, ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {2, 0.01})));
    assertArrayEquals(new float[] {1, 0, 1, 0}, g.parameter("fc.weight").mask().data());

    Graph m = wandaExample();
    Pruning.prune(m, PruningSpec.of("magnitude", 0.5, Scope.ROW));
    assertArrayEquals(new float[] {0, 1, 1, 0}, m.parameter("fc.weight").mask().data());
  }

  @Test
  void missingOrBadCalibrationIsReportedBeforeAnyChange() {
    Graph g = wandaExample();
    PruningSpec spec = PruningSpec.builder().setCriterion(new ColumnNormCriterion()).setSparsity(0.5).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, spec));
    assertTrue(e.getMessage().contains("test-column-norm") && e.getMessage().contains("'fc.weight'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Pruning.prune(g, spec, ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {1, 2, 3}))));
    assertTrue(e.getMessage().contains("3 entries") && e.getMessage().contains("2 columns"), e.getMessage());
    assertFalse(g.parameter("fc.weight").hasMask());
    assertArrayEquals(new float[] {1, -2, 3, 0.5f}, g.parameter("fc.weight").value().data());
  }

  private static Graph mixed() {
    return GraphBuilder.create(5).input("img", 1, 6, 6)
        .conv2d("conv", 2, 3, 1, 1).batchNorm("bn").relu().flatten()
        .linear("fc1", 4).relu().linear("fc2", 3)
        .build();
  }

  private static List<String> names(List<Parameter> ps) {
    return ps.stream().map(Parameter::qualifiedName).toList();
  }

  @Test
  void defaultTargetsAreLinearAndConvWeightsOnly() {
    Graph g = mixed();
    assertEquals(List.of("conv.weight", "fc1.weight", "fc2.weight"), names(Targets.defaults().resolve(g)));
    assertEquals(List.of("conv.weight", "fc2.weight"), names(Targets.defaults().excluding("fc1").resolve(g)));
    assertEquals(List.of("fc1.weight"), names(Targets.only("fc1").resolve(g)));
    PruningResult r = Pruning.prune(g, PruningSpec.builder().setCriterion("magnitude").setSparsity(0.5)
        .optTargets(Targets.defaults().excluding("conv")).build());
    assertEquals(List.of("fc1.weight", "fc2.weight"), List.copyOf(r.masks().names()));
    assertFalse(g.parameter("conv.weight").hasMask());
    assertFalse(g.parameter("bn.gamma").hasMask());
    assertFalse(g.parameter("fc1.bias").hasMask());
    assertEquals(4 * 72 / 2, r.report().entry("fc1.weight").maskedZeros()); // fc1: [4, 72]
    assertEquals(6, r.report().entry("fc2.weight").maskedZeros()); // fc2: [3, 4]
  }

  @Test
  void badTargetsAreRejectedNamingTheNode() {
    Graph g = mixed();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pruning.prune(g, PruningSpec.builder().setCriterion("magnitude").setSparsity(0.5)
            .optTargets(Targets.defaults().excluding("fc9")).build()));
    assertTrue(e.getMessage().contains("'fc9'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Targets.only("bn").resolve(g));
    assertTrue(e.getMessage().contains("'bn'") && e.getMessage().contains("no WEIGHT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Targets.only("fc1").excluding("fc1"));
    assertTrue(e.getMessage().contains("'fc1'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Targets.defaults().excluding("conv", "fc1", "fc2").resolve(g));
    assertTrue(e.getMessage().contains("no parameters to prune"), e.getMessage());
    assertTrue(org.prunekit.core.mask.Masks.current(g).isEmpty());
  }

  @Test
  void computeMasksLeavesTheGraphAlone() {
    Graph g = mixed();
    var masks = Pruning.computeMasks(g, PruningSpec.of("magnitude", 0.3, Scope.GLOBAL), ScoringInputs.none());
    assertEquals(3, masks.size());
    long total = 2 * 9 + 4 * 72 + 3 * 4;
    assertEquals((long) Math.floor(0.3 * total), masks.totalZeros());
    assertTrue(org.prunekit.core.mask.Masks.current(g).isEmpty());
  }
}
