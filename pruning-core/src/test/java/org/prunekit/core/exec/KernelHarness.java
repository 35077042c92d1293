package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.tensor.Tensor;

/** Runs single ops through {@link OpKernels} on small hand-made arrays. */
final class KernelHarness implements AutoCloseable {
  final NDManager manager;

  KernelHarness() {
    Offline.ensure();
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  NDArray array(float[] data, long... shape) {
    return manager.create(data, new ai.djl.ndarray.types.Shape(shape));
  }

  /** A parameter source over fresh copies of the node's parameter values. */
  ParameterSource source(Node node) {
    Map<String, NDArray> arrays = new HashMap<>();
    for (Parameter p : node.params().values()) {
      arrays.put(p.qualifiedName(), manager.create(p.value().data(),
          new ai.djl.ndarray.types.Shape(p.shape().toLongArray())));
    }
    return p -> arrays.get(p.qualifiedName());
  }

  static Node node(Op op, Map<String, Tensor> params, int inputs) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      names.add("in" + i);
    }
    return new Node("n", op, names, params);
  }

  /** Runs {@code op} on the inputs with the given parameter values and returns the output as a heap tensor. */
  Tensor run(Op op, Map<String, Tensor> params, NDArray... inputs) {
    return run(op, params, false, inputs);
  }

  Tensor run(Op op, Map<String, Tensor> params, boolean training, NDArray... inputs) {
    Node n = node(op, params, inputs.length);
    try (NDArray out = OpKernels.forward(n, List.of(inputs), source(n), training)) {
      return org.prunekit.core.tensor.TensorConversions.fromDjl(out);
    }
  }

  static void assertTensor(Tensor t, int[] shape, float[] expected, double tol) {
    assertArrayEquals(shape, t.shape().dims(), "shape");
    assertEquals(expected.length, t.data().length, "size");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], t.data()[i], tol, "element " + i);
    }
  }

  static float[] close(NDArray a) {
    float[] f = a.toFloatArray();
    a.close();
    return f;
  }

  @Override
  public void close() {
    manager.close();
  }
}
