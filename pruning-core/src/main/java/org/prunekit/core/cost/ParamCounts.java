package org.prunekit.core.cost;

import org.prunekit.core.graph.Parameter;

/** Non-zero counting with mask precedence. */
final class ParamCounts {
  private ParamCounts() {}

  /**
   * Elements of {@code p} that are non-zero after the mask is applied: an element counts when its
   * stored value is non-zero and its mask entry (if a mask is attached) is 1. A masked-out entry
   * counts as zero whatever its stored value; NaN counts as non-zero.
   */
  static long nonZero(Parameter p) {
    float[] v = p.value().data();
    long nz = 0;
    if (p.hasMask()) {
      float[] m = p.mask().data();
      for (int i = 0; i < v.length; i++) {
        if (m[i] != 0f && v[i] != 0f) {
          nz++;
        }
      }
    } else {
      for (float x : v) {
        if (x != 0f) {
          nz++;
        }
      }
    }
    return nz;
  }
}
