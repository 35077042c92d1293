package org.prunekit.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;

class MaskSetTrustedTest {

  @Test
  void adoptTrustedKeepsTheTensorsWithoutCopyingAndInOrder() {
    Tensor a = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
    Tensor b = Tensor.of(new float[] {0, 1, 1}, 3);
    LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
    m.put("z.weight", a);
    m.put("a.weight", b);
    MaskSet set = MaskSet.adoptTrusted(m);
    assertEquals(java.util.List.of("z.weight", "a.weight"), java.util.List.copyOf(set.names()));
    assertSame(a, set.internal("z.weight"));
    assertEquals(3, set.totalZeros());
    m.clear(); // the set owns its own map
    assertEquals(2, set.size());
    assertArrayEquals(new float[] {0, 1, 1}, set.mask("a.weight").data());
  }

  @Test
  void userFacingFactoryStillCopiesAndValidates() {
    Tensor a = Tensor.of(new float[] {1, 0}, 2);
    MaskSet set = MaskSet.of(Map.of("a.weight", a));
    a.data()[0] = 0f;
    assertEquals(1, set.totalZeros());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskSet.of(Map.of("a.weight", Tensor.of(new float[] {1, 0.5f}, 2))));
    assertTrue(e.getMessage().contains("'a.weight' holds 0.5 at index 1"), e.getMessage());
  }

  @Test
  void adoptTrustedChecksBinaryValuesWhenAssertionsAreOn() {
    boolean assertions = false;
    assert assertions = true;
    assumeTrue(assertions, "needs -ea (surefire enables it)");
    assertThrows(IllegalArgumentException.class,
        () -> MaskSet.adoptTrusted(Map.of("a.weight", Tensor.of(new float[] {1, 2}, 2))));
  }
}
