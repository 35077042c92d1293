package org.prunekit.core.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/** Small graphs with hand-checkable costs. */
final class CostTestGraphs {
  private CostTestGraphs() {}

  /** A sequence 0.5, 1.5, 2.5, ... (never zero). */
  static float[] ramp(int n) {
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = i + 0.5f;
    }
    return d;
  }

  /** One linear layer {@code in -> out} with explicit non-zero values. */
  static Graph linear(int in, int out, boolean bias) {
    Map<String, Tensor> v = new LinkedHashMap<>();
    v.put("weight", Tensor.of(ramp(in * out), out, in));
    if (bias) {
      v.put("bias", Tensor.of(ramp(out), out));
    }
    return GraphBuilder.create(1).input("x", in).node("fc", new Linear(in, out, bias), v, "x").build();
  }

  /** LeNet-5 on 1x28x28 with {@code fc1} hidden units in the first fully connected layer. */
  static Graph lenet(int fc1) {
    return GraphBuilder.create(7)
        .input("image", 1, 28, 28)
        .conv2d("conv1", 6, 5, 1, 0).relu().maxPool2d(2)
        .conv2d("conv2", 16, 5, 1, 0).relu().maxPool2d(2)
        .flatten()
        .linear("fc1", fc1).relu()
        .linear("fc2", 84).relu()
        .linear("fc3", 10)
        .build();
  }
}
