package org.prunekit.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;

class CostModelSpikingTest {
  @Test
  void timeFoldedLayersCountEveryStep() {
    Graph g = GraphBuilder.create(1).input("x", 3)
        .node("enc", new TimeEncode(4, TimeEncode.Mode.REPEAT), "x")
        .linear("fc", 5, false)
        .node("lif", Lif.of(4, 0.9f), "fc")
        .node("rate", new TimeMean(4), "lif")
        .build();
    CostReport r = CostModel.of(g, 2);
    NodeCost enc = r.node("enc");
    assertEquals(new Shape(8, 3), enc.outputShape());
    assertEquals(0, enc.elementOps());
    assertEquals(4 * 6, enc.bytesRead());
    assertEquals(4 * 24, enc.bytesWritten());
    assertEquals(8 * 3 * 5, r.node("fc").macs()); // 4 steps x 2 samples, every step a full layer
    NodeCost lif = r.node("lif");
    assertEquals(0, lif.macs());
    assertEquals(4 * 40, lif.elementOps()); // leak, integrate, compare, reset per neuron and step
    assertEquals(4 * 40, lif.bytesWritten());
    NodeCost rate = r.node("rate");
    assertEquals(new Shape(2, 5), rate.outputShape());
    assertEquals(40, rate.elementOps());
  }
}
