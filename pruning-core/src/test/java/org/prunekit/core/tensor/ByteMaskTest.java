package org.prunekit.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.io.NpyReader;
import org.prunekit.core.io.NpyWriter;

class ByteMaskTest {

  @Test
  void convertsToAndFromFloatMasks() {
    Tensor f = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 2, 3);
    ByteMask b = ByteMask.fromTensor(f);
    assertArrayEquals(new byte[] {1, 0, 0, 1, 1, 0}, b.bytes());
    assertEquals(3, b.keptCount());
    assertTrue(b.kept(0));
    assertFalse(b.kept(1));
    assertEquals(f.shape(), b.toTensor().shape());
    assertArrayEquals(f.data(), b.toTensor().data());
  }

  @Test
  void badValuesAndLengthsAreNamed() {
    IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
        () -> ByteMask.of(new Shape(2, 2), new byte[] {1, 0, 2, 1}));
    assertEquals("mask byte 2 at index 2; masks hold 0 or 1", v.getMessage());
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
        () -> ByteMask.fromTensor(Tensor.of(new float[] {1, 0.5f}, 1, 2)));
    assertEquals("mask value 0.5 at index 1; masks hold 0 or 1", f.getMessage());
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> ByteMask.wrap(new Shape(2, 3), new byte[5]));
    assertTrue(n.getMessage().contains("5 bytes"), n.getMessage());
  }

  @Test
  void writesTheSameNpyAsTheFloatMask(@TempDir Path dir) throws Exception {
    Tensor f = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 2, 3);
    Path a = dir.resolve("a.npy");
    Path b = dir.resolve("b.npy");
    NpyWriter.writeU8(a, f);
    NpyWriter.writeU8(b, ByteMask.fromTensor(f));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertArrayEquals(f.data(), NpyReader.read(b).data());
  }
}
