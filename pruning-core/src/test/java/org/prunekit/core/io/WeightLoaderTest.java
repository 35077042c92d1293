package org.prunekit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

class WeightLoaderTest {
  private static float[] seq(int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = i;
    }
    return f;
  }

  @Test
  void conversionsMoveElementsWhereKerasPutsThem() {
    // HWIO [2,2,3,4]: element (h,w,i,o) = 1000h + 100w + 10i + o
    float[] k = new float[2 * 2 * 3 * 4];
    int n = 0;
    for (int h = 0; h < 2; h++) {
      for (int w = 0; w < 2; w++) {
        for (int i = 0; i < 3; i++) {
          for (int o = 0; o < 4; o++) {
            k[n++] = 1000 * h + 100 * w + 10 * i + o;
          }
        }
      }
    }
    Tensor oihw = LayoutConversion.KERAS_CONV_TO_OIHW.apply(Tensor.of(k, 2, 2, 3, 4));
    assertEquals(new Shape(4, 3, 2, 2), oihw.shape());
    // [o=3, i=2, h=1, w=0] at ((3*3+2)*2+1)*2+0 = 46
    assertEquals(1000 + 0 + 20 + 3, oihw.data()[46]);
    assertEquals(0 + 100 + 10 + 2, oihw.data()[((2 * 3 + 1) * 2 + 0) * 2 + 1]);
    Tensor oi = LayoutConversion.KERAS_DENSE_TO_OI.apply(Tensor.of(seq(6), 2, 3));
    assertEquals(new Shape(3, 2), oi.shape());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, oi.data());
    // depthwise [kh=1, kw=2, c=2, m=2]: element (0,w,c,m) = 100w + 10c + m -> out channel 2c+m
    Tensor dw = LayoutConversion.KERAS_DEPTHWISE_TO_OIHW.apply(Tensor.of(new float[] {0, 1, 10, 11, 100, 101, 110, 111},
        1, 2, 2, 2));
    assertEquals(new Shape(4, 1, 1, 2), dw.shape());
    assertArrayEquals(new float[] {0, 100, 1, 101, 10, 110, 11, 111}, dw.data());
    Tensor conv1d = LayoutConversion.KERAS_CONV_TO_OIHW.apply(Tensor.of(seq(6), 1, 2, 3)); // [k, in, out]
    assertEquals(new Shape(3, 2, 1), conv1d.shape());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, conv1d.data());
  }

  private static Graph small() {
    return GraphBuilder.create(1).input("x", 4).linear("fc1", 3).relu().linear("fc2", 2).build();
  }

  @Test
  void loadsAndReportsAndValidatesAllOrNothing() throws IOException {
    Graph g = small();
    Map<String, Tensor> src = new LinkedHashMap<>();
    src.put("a.w", Tensor.of(seq(12), 4, 3)); // Keras [in, out]
    src.put("a.b", Tensor.of(new float[] {1, 2, 3}, 3));
    src.put("b.w", Tensor.of(seq(6), 3, 2));
    src.put("extra", Tensor.of(new float[] {0}, 1));
    WeightMapping ok = WeightMapping.builder()
        .map("fc1.weight", "a.w", LayoutConversion.KERAS_DENSE_TO_OI).map("fc1.bias", "a.b")
        .map("fc2.weight", "b.w", LayoutConversion.KERAS_DENSE_TO_OI).build();
    WeightLoader.Report r = WeightLoader.load(g, TensorFile.of(src), ok);
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight"), r.assigned());
    assertEquals(List.of("fc2.bias"), r.unmappedParameters());
    assertEquals(List.of("extra"), r.unusedSourceTensors());
    assertEquals(3f, g.parameter("fc1.weight").value().data()[1]); // [o=0, i=1] = src[i=1, o=0] = 3
    assertArrayEquals(new float[] {1, 2, 3}, g.parameter("fc1.bias").value().data());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WeightLoader.loadComplete(g, TensorFile.of(src), ok));
    assertTrue(e.getMessage().contains("fc2.bias"), e.getMessage());

    Graph fresh = small();
    Graph before = fresh.copy();
    WeightMapping bad = WeightMapping.builder()
        .map("fc1.weight", "a.w", LayoutConversion.KERAS_DENSE_TO_OI)
        .map("fc1.bias", "b.w")
        .map("fc2.weight", "missing")
        .map("fc9.bias", "a.b").build();
    String msg = assertThrows(IllegalArgumentException.class, () -> WeightLoader.load(fresh, TensorFile.of(src), bad))
        .getMessage();
    assertTrue(msg.contains("'b.w' [3, 2]") && msg.contains("'fc1.bias' [3]"), msg);
    assertTrue(msg.contains("'missing'") && msg.contains("'fc2.weight' [2, 3]"), msg);
    assertTrue(msg.contains("'fc9.bias'"), msg);
    for (Parameter p : fresh.parameters()) {
      assertTrue(p.value().bitEquals(before.parameter(p.qualifiedName()).value()), "unchanged: " + p);
    }
    WeightMapping wrongLayout = WeightMapping.builder().map("fc1.weight", "a.w").build();
    msg = assertThrows(IllegalArgumentException.class, () -> WeightLoader.load(fresh, TensorFile.of(src), wrongLayout))
        .getMessage();
    assertTrue(msg.contains("'a.w' [4, 3]") && msg.contains("'fc1.weight' [3, 4]"), msg);
    assertThrows(IllegalArgumentException.class,
        () -> WeightMapping.builder().map("fc1.bias", "a").map("fc1.bias", "b").build());
  }

  @Test
  void loadsMlperfTinyResnet8IntoGraph() throws IOException {
    Assumptions.assumeTrue(Resnet8Fixture.present(), "shared data absent");
    Graph g = Resnet8Fixture.graph();
    Map<String, Shape> shapes = g.inferShapes(1);
    assertEquals(new Shape(1, 32, 16, 16), shapes.get("conv2d_3"));
    assertEquals(new Shape(1, 64, 8, 8), shapes.get("activation_6"));
    assertEquals(new Shape(1, 10), shapes.get("softmax"));
    long total = g.parameters().stream().mapToLong(Parameter::numel).sum();
    assertEquals(78_666, total, "README parameter count");
    TensorFile file = SafetensorsReader.readAll(Resnet8Fixture.file());
    WeightLoader.Report r = WeightLoader.loadComplete(g, file, Resnet8Fixture.mapping());
    assertEquals(48, r.assigned().size());
    assertEquals(List.of(), r.unmappedParameters());
    assertEquals(List.of(), r.unusedSourceTensors());
    // Independent index arithmetic: OIHW[o,i,h,w] == HWIO[h,w,i,o] for every element of conv2d_3.
    Tensor hwio = file.get("conv2d_3.kernel");
    Tensor oihw = g.parameter("conv2d_3.weight").value();
    for (int o = 0; o < 32; o++) {
      for (int i = 0; i < 16; i++) {
        for (int h = 0; h < 3; h++) {
          for (int w = 0; w < 3; w++) {
            assertEquals(hwio.data()[((h * 3 + w) * 16 + i) * 32 + o], oihw.data()[((o * 16 + i) * 3 + h) * 3 + w]);
          }
        }
      }
    }
    Tensor dense = file.get("dense.kernel");
    for (int o = 0; o < 10; o++) {
      for (int i = 0; i < 64; i++) {
        assertEquals(dense.data()[i * 10 + o], g.parameter("dense.weight").value().data()[o * 64 + i]);
      }
    }
    assertTrue(g.parameter("batch_normalization_5.running_var").value()
        .bitEquals(file.get("batch_normalization_5.moving_variance")));
    assertTrue(g.parameter("conv2d_8.bias").value().bitEquals(file.get("conv2d_8.bias")));
    for (WeightMapping.Entry e : Resnet8Fixture.mapping().entries()) {
      Tensor expected = e.conversion().apply(file.get(e.source()));
      assertTrue(g.parameter(e.parameter()).value().bitEquals(expected), e.parameter());
    }
  }
}
