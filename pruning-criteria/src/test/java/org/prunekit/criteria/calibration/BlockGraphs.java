package org.prunekit.criteria.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.tensor.Tensor;

/** A small two-block transformer-like graph and random calibration data for the tests. */
final class BlockGraphs {
  private BlockGraphs() {}

  static final int SEQ = 4;
  static final int DIM = 8;

  /** in_proj; blk.i.{norm, att, res, up, relu, down, out} for i = 0, 1; head. */
  static Graph twoBlocks(long seed) {
    GraphBuilder b = GraphBuilder.create(seed).input("x", SEQ, DIM).linear("in_proj", DIM, false);
    String prev = "in_proj";
    for (int i = 0; i < 2; i++) {
      String p = "blk." + i + ".";
      b.from(prev).rmsNorm(p + "norm").attention(p + "att", 2, 1, true, 10000f).add(p + "res", prev, p + "att")
          .linear(p + "up", 16, false).relu().linear(p + "down", DIM, false).add(p + "out", p + "res", p + "down");
      prev = p + "out";
    }
    return b.linear("head", 3, false).build();
  }

  static CalibrationSet calibration(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Tensor> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[SEQ * DIM];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (r.nextDouble() * 2 - 1);
      }
      s.add(Tensor.of(v, SEQ, DIM));
    }
    return CalibrationSet.of(s, seed, "uniform noise");
  }
}
