package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The oneDNN switch finds libtorch in the process and reads back "disabled"; convolutions still
 * compute the same values on ATen's own kernels. (The NaN gradients it works around come from
 * libtorch 2.7.1's oneDNN 3.7.1 on AVX-512 CPUs for some channel counts; see docs/structured.md.)
 */
class OneDnnSwitchTest {
  @Test
  void disablesOneDnnAndConvolutionsStillWork() {
    try (NDManager m = DjlEnvironment.newManager()) {
      NDArray x = m.ones(new Shape(1, 1, 3, 3));
      NDArray w = m.ones(new Shape(1, 1, 3, 3));
      float before = ai.djl.nn.convolutional.Conv2d.conv2d(x, w).singletonOrThrow().getFloat();
      assertTrue(OneDnnSwitch.disable(), "libtorch_cpu.so found and oneDNN switched off");
      float after = ai.djl.nn.convolutional.Conv2d.conv2d(x, w).singletonOrThrow().getFloat();
      assertTrue(before == 9f && after == 9f, before + " / " + after);
    }
  }
}
