package org.prunekit.analysis.simcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;

/** Clear exceptions for inputs SimCert cannot handle. */
class BadInputTest {
  private static final SimCert CERT = SimCert.builder().setEpsilon(0.1).setConfidence(0.99).build();

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void shapeMismatchBetweenTheGraphs() {
    Graph f = Nets.mlp(1, 5, 8, 3);
    String in = message(() -> DualNetwork.of(f, Nets.mlp(1, 6, 8, 3)));
    assertTrue(in.contains("input shapes differ") && in.contains("[5]") && in.contains("[6]"), in);
    String layer = message(() -> DualNetwork.of(f, Nets.mlp(1, 5, 9, 3)));
    assertTrue(layer.contains("node 0 differs") && layer.contains("'fc1'"), layer);
    String length = message(() -> DualNetwork.of(f, Nets.mlp(1, 5, 8, 8, 3)));
    assertTrue(length.contains("differ in length"), length);
  }

  @Test
  void unsupportedOpsNameTheNode() {
    Graph gelu = GraphBuilder.create(1).input("x", 4).linear("fc1", 4).activation(Activation.Kind.GELU)
        .linear("fc2", 2).build();
    String m = message(() -> DualNetwork.of(gelu, gelu.copy()));
    assertTrue(m.contains("'gelu_1'") && m.contains("GELU"), m);
    Graph soft = GraphBuilder.create(1).input("x", 4).linear("fc1", 3).softmax().build();
    String s = message(() -> DualNetwork.of(soft, soft.copy()));
    assertTrue(s.contains("softmax_1") && s.contains("withoutTrailingSoftmax"), s);
    Graph logits = SimCert.withoutTrailingSoftmax(soft);
    assertEquals(1, logits.nodes().size());
    assertTrue(CERT.certify(logits, logits.copy(), InputBox.uniform(4, 0, 1)).certified());
    Graph residual = GraphBuilder.create(1).input("x", 4).linear("fc1", 4).relu().add("sum", "x", "relu_1").build();
    String r = message(() -> DualNetwork.of(residual, residual.copy()));
    assertTrue(r.contains("not a chain") && r.contains("'sum'"), r);
  }

  @Test
  void badEpsilonAndConfidence() {
    String e = message(() -> SimCert.builder().setEpsilon(-0.1));
    assertTrue(e.contains("epsilon") && e.contains("-0.1"), e);
    message(() -> SimCert.builder().setEpsilon(Double.NaN));
    message(() -> SimCert.builder().setEpsilon(Double.POSITIVE_INFINITY));
    for (double c : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
      String m = message(() -> SimCert.builder().setConfidence(c));
      assertTrue(m.contains("confidence must be in (0, 1)"), m);
    }
    assertThrows(IllegalStateException.class, () -> SimCert.builder().setEpsilon(1).build());
    assertThrows(IllegalStateException.class, () -> SimCert.builder().setConfidence(0.9).build());
    message(() -> SimCert.builder().optMaxDepth(-1));
    message(() -> SimCert.builder().optMaxBoxes(0));
  }

  @Test
  void emptyOrInvertedBoxes() {
    assertTrue(message(() -> new InputBox(new double[0], new double[0])).contains("no dimensions"));
    String inv = message(() -> new InputBox(new double[] {0, 2}, new double[] {1, 1}));
    assertTrue(inv.contains("dimension 1") && inv.contains("inverted"), inv);
    assertTrue(message(() -> new InputBox(new double[] {0}, new double[] {1, 2})).contains("differ in length"));
    assertTrue(message(() -> new InputBox(new double[] {Double.NaN}, new double[] {1})).contains("non-finite"));
    message(() -> InputBox.uniform(3, 1, 0));
    message(() -> InputBox.uniform(0, 0, 1));
    message(() -> InputBox.around(new float[] {0.5f}, -1, 0, 1));
    message(() -> InputBox.around(new float[] {5f}, 1, 0, 1));
    Graph f = Nets.mlp(1, 5, 8, 3);
    String dims = message(() -> CERT.certify(f, f.copy(), InputBox.uniform(4, 0, 1)));
    assertTrue(dims.contains("4 dimensions") && dims.contains("5 inputs"), dims);
  }
}
