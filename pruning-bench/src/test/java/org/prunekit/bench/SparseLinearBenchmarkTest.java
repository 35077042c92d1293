package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The three engines of {@link SparseLinearBenchmark} compute the same product on a small layer. */
class SparseLinearBenchmarkTest {
  @Test
  void enginesAgree() {
    for (int batch : new int[] {1, 8}) {
      SparseLinearBenchmark.Layer l = new SparseLinearBenchmark.Layer();
      l.shape = "67x45";
      l.sparsity = 0.9;
      l.batch = batch;
      l.setUp();
      SparseLinearBenchmark b = new SparseLinearBenchmark();
      SparseLinearBenchmark.Sparse s = new SparseLinearBenchmark.Sparse();
      SparseLinearBenchmark.Djl d = new SparseLinearBenchmark.Djl();
      SparseLinearBenchmark.Nd4jArrays n = new SparseLinearBenchmark.Nd4jArrays();
      s.setUp(l);
      d.setUp(l);
      n.setUp(l);
      try {
        float[] sparse = b.sparse(l, s).clone();
        float[] djl;
        try (ai.djl.ndarray.NDArray y = d.x.matMul(d.wT)) {
          djl = y.toFloatArray();
        }
        float[] nd4j = b.nd4jDense(n).dup().data().asFloat();
        for (int i = 0; i < sparse.length; i++) {
          double ref = 0;
          int o = i % l.out;
          int r = i / l.out;
          for (int k = 0; k < l.in; k++) {
            ref += (double) l.w[o * l.in + k] * l.x[r * l.in + k];
          }
          assertEquals(ref, sparse[i], 1e-4, "sparse " + i);
          assertEquals(ref, djl[i], 1e-4, "djl " + i);
          assertEquals(ref, nd4j[i], 1e-4, "nd4j " + i);
        }
        assertEquals(djl[0], b.djlDense(d), 0f);
      } finally {
        s.tearDown();
        d.tearDown();
        n.tearDown();
      }
    }
  }
}
