package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;

/** Hand-written expectations for group members. */
final class GroupAsserts {
  private GroupAsserts() {}

  /** Unit u owns index u + offset. */
  static int[][] shifted(int units, int offset) {
    return blocks(units, 1, offset);
  }

  /** Unit u owns index u. */
  static int[][] identity(int units) {
    return blocks(units, 1, 0);
  }

  /** Unit u owns indices u*block+offset .. u*block+offset+block-1. */
  static int[][] blocks(int units, int block, int offset) {
    int[][] r = new int[units][block];
    for (int u = 0; u < units; u++) {
      for (int j = 0; j < block; j++) {
        r[u][j] = u * block + offset + j;
      }
    }
    return r;
  }

  /** Asserts that {@code g} holds exactly these members, in this order. */
  static void assertMembers(PruningGroup g, Object... expected) {
    List<String> want = new ArrayList<>();
    for (int i = 0; i < expected.length; i += 4) {
      want.add(expected[i] + "@" + expected[i + 1] + " " + expected[i + 2]);
    }
    List<String> got = new ArrayList<>();
    for (GroupMember m : g.members()) {
      got.add(m.parameter() + "@" + m.axis() + " " + m.direction());
    }
    assertEquals(want, got, "members of " + g.root());
    for (int i = 0; i < expected.length; i += 4) {
      GroupMember m = g.member((String) expected[i], (Integer) expected[i + 1]);
      assertNotNull(m);
      int[][] ix = (int[][]) expected[i + 3];
      assertEquals(ix.length, m.units(), m.parameter() + " units");
      for (int u = 0; u < ix.length; u++) {
        assertArrayEquals(ix[u], m.indices(u), m.parameter() + " axis " + m.axis() + " unit " + u);
      }
    }
  }
}
