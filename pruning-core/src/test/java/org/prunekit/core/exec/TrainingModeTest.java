package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/**
 * The interpreter under autograd, as training runs it: intermediates are closed early and the
 * kernels avoid in-place updates of arrays autograd needs, so backward still works.
 */
class TrainingModeTest {

  @Test
  void backwardThroughEveryKindOfLayer() {
    GraphBuilder b = GraphBuilder.create(5)
        .input("img", 2, 6, 6)
        .conv2d("conv", 4, 3, 1, 1).batchNorm("bn").relu().maxPool2d(2)
        .flatten()
        .reshape(3, 12)
        .layerNorm("ln")
        .attention("attn", 2, 1, true, 10000f)
        .rmsNorm("rms")
        .node("gate", new Linear(12, 12, true), "rms")
        .activation(Activation.Kind.SILU);
    String silu = b.cursor();
    Graph g = b.mul("prod", silu, "rms")
        .add("res", "prod", "attn")
        .dropout(0.1f)
        .linear("head", 2)
        .build();
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
      Map<String, NDArray> arrays = new HashMap<>();
      for (Parameter p : g.parameters()) {
        NDArray a = m.create(p.value().data(), new ai.djl.ndarray.types.Shape(p.shape().toLongArray()));
        if (!p.role().isBuffer()) {
          a.setRequiresGradient(true);
        }
        arrays.put(p.qualifiedName(), a);
      }
      float[] img = new float[2 * 2 * 36];
      for (int i = 0; i < img.length; i++) {
        img[i] = (float) Math.sin(i);
      }
      NDArray x = m.create(img, new ai.djl.ndarray.types.Shape(2, 2, 6, 6));
      float meanBefore = arrays.get("bn.running_mean").getFloat(0);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDList out = GraphInterpreter.run(g, new NDList(x), p -> arrays.get(p.qualifiedName()), List.of(), true);
        gc.backward(out.singletonOrThrow().sum());
      }
      for (Parameter p : g.parameters()) {
        if (!p.role().isBuffer()) {
          NDArray grad = arrays.get(p.qualifiedName()).getGradient();
          assertTrue(grad.abs().sum().getFloat() > 0, "gradient reaches " + p.qualifiedName());
        }
      }
      assertTrue(arrays.get("bn.running_mean").getFloat(0) != meanBefore, "running mean updated in training");
    }
  }

  @Test
  void linearWeightGradientIsTheSumOfInputs() {
    Graph g = GraphBuilder.create(1)
        .input("x", 2)
        .node("fc", new Linear(2, 1, false), Map.of("weight", Tensor.of(new float[] {0.3f, -0.2f}, 1, 2)), "x")
        .build();
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
      NDArray w = m.create(new float[] {0.3f, -0.2f}, new ai.djl.ndarray.types.Shape(1, 2));
      w.setRequiresGradient(true);
      NDArray x = m.create(new float[] {1, 0, 1, 2}, new ai.djl.ndarray.types.Shape(2, 2));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDList out = GraphInterpreter.run(g, new NDList(x), p -> w, List.of(), true);
        gc.backward(out.singletonOrThrow().sum());
      }
      // d sum(x W^T) / dW = sum over rows of x = [2, 2]
      assertArrayEquals(new float[] {2, 2}, w.getGradient().toFloatArray(), 1e-6f);
    }
  }
}
