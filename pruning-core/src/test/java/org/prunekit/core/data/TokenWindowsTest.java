package org.prunekit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Char vocabulary, corpus split and window placement by hand. */
class TokenWindowsTest {
  @TempDir Path dir;

  @Test
  void vocabEncodesAndRejectsUnknownCharacters() throws IOException {
    Path f = dir.resolve("vocab.json");
    Files.writeString(f, "{\"chars\": [\"\\n\", \" \", \"a\", \"b\"], \"note\": \"x\"}");
    CharVocab v = CharVocab.load(f);
    assertEquals(4, v.size());
    assertArrayEquals(new int[] {2, 3, 1, 0}, v.encode("ab \n"));
    assertEquals("ba", v.decode(new int[] {3, 2}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("abc"));
    assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("offset 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CharVocab("abca"));
    Files.writeString(f, "{\"chars\": [\"ab\"]}");
    assertThrows(IOException.class, () -> CharVocab.load(f));
  }

  @Test
  void corpusSplitsAtFloorOfTheFraction() {
    CharCorpus c = new CharCorpus("abababbbba", new CharVocab("ab"), 0.75); // floor(7.5) = 7
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 1}, c.train());
    assertArrayEquals(new int[] {1, 1, 0}, c.validation());
    assertThrows(IllegalArgumentException.class, () -> new CharCorpus("ab", new CharVocab("ab"), 0.1));
  }

  @Test
  void nonOverlappingWindowsPredictTheNextToken() {
    int[] t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    TokenWindows w = TokenWindows.nonOverlapping(t, 3); // floor(9 / 3) = 3 windows
    assertEquals(3, w.size());
    assertArrayEquals(new int[] {0, 3, 6}, w.starts());
    assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, w.inputs(1, 3).data());
    assertArrayEquals(new int[] {7, 8, 9}, w.targets(2));
    assertArrayEquals(new int[] {3, 6}, w.range(1, 3).starts());
    assertArrayEquals(new int[] {7, 8, 9}, w.range(1, 3).targets(1));
    assertThrows(IllegalArgumentException.class, () -> w.range(1, 1));
    assertEquals(2, TokenWindows.nonOverlapping(new int[9], 4).size()); // (9-1)/4
    assertThrows(IllegalArgumentException.class, () -> TokenWindows.nonOverlapping(t, 10));
  }

  @Test
  void randomWindowsAreDeterministicPerSeedAndInRange() {
    int[] t = new int[50];
    TokenWindows a = TokenWindows.random(t, 8, 200, 0);
    assertArrayEquals(a.starts(), TokenWindows.random(t, 8, 200, 0).starts());
    assertTrue(!java.util.Arrays.equals(a.starts(), TokenWindows.random(t, 8, 200, 1).starts()));
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int s : a.starts()) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    assertEquals(0, min);
    assertEquals(50 - 8 - 1, max); // the last start whose target still fits
    assertThrows(IllegalArgumentException.class, () -> TokenWindows.random(t, 8, 0, 0));
  }
}
