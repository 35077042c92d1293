package org.prunekit.core.structure;

import java.util.SortedSet;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/** Removes indices along one axis of a heap tensor, producing a new, smaller tensor. */
final class TensorSlicing {
  private TensorSlicing() {}

  /**
   * A copy of {@code t} without indices {@code removed} along {@code axis}.
   *
   * @param removed sorted indices, all in range
   */
  static Tensor remove(Tensor t, int axis, SortedSet<Integer> removed) {
    Shape s = t.shape();
    int n = s.get(axis);
    int[] keep = new int[n - removed.size()];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (!removed.contains(i)) {
        keep[k++] = i;
      }
    }
    int outer = Math.toIntExact(s.size() / s.sizeFrom(axis));
    int inner = Math.toIntExact(s.sizeFrom(axis + 1));
    float[] src = t.data();
    float[] dst = new float[outer * keep.length * inner];
    int d = 0;
    for (int o = 0; o < outer; o++) {
      int base = o * n * inner;
      for (int i : keep) {
        System.arraycopy(src, base + i * inner, dst, d, inner);
        d += inner;
      }
    }
    return new Tensor(s.with(axis, keep.length), dst);
  }
}
