package org.prunekit.core.io.onnx;

import static org.prunekit.core.io.onnx.ImportState.describe;

import java.util.Arrays;
import onnx.Onnx.NodeProto;

/** Evaluates the few ops that exporters apply to constants (reshaped or transposed weights). */
final class ConstantFolding {
  private ConstantFolding() {}

  /** The value of node {@code n}, all of whose inputs are constants. */
  static OnnxConst fold(NodeProto n, OnnxAttributes a, ImportState s) {
    OnnxConst x = s.consts.get(n.getInput(0));
    String out = n.getOutput(0);
    switch (n.getOpType()) {
      case "Identity", "Dropout":
        return x.withDims(out, x.dims());
      case "Reshape":
        return x.withDims(out, reshapeDims(n, x, OnnxNodeConverter.reshapeTarget(n, a, s), a.getInt("allowzero", 0) != 0));
      case "Transpose":
        return transpose(n, x, a.getInts("perm"));
      default:
        throw new OnnxModelException(describe(n) + " has only constant inputs; constant folding of "
            + n.getOpType() + " is not supported (supported: Identity, Dropout, Reshape, Transpose)");
    }
  }

  private static int[] reshapeDims(NodeProto n, OnnxConst x, long[] shape, boolean allowZero) {
    int[] d = new int[shape.length];
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < shape.length; i++) {
      long v = shape[i];
      if (v == 0 && !allowZero) {
        if (i >= x.dims().length) {
          throw new OnnxModelException(describe(n) + ": target " + Arrays.toString(shape) + " copies a missing dimension " + i);
        }
        v = x.dims()[i];
      }
      if (v == -1) {
        if (unknown >= 0) {
          throw new OnnxModelException(describe(n) + ": target " + Arrays.toString(shape) + " has two -1 entries");
        }
        unknown = i;
      } else if (v < 0) {
        throw new OnnxModelException(describe(n) + ": target " + Arrays.toString(shape) + " holds " + v);
      } else {
        d[i] = Math.toIntExact(v);
        known *= v;
      }
    }
    if (unknown >= 0) {
      if (known == 0 || x.size() % known != 0) {
        throw new OnnxModelException(describe(n) + ": cannot reshape dims " + Arrays.toString(x.dims()) + " to " + Arrays.toString(shape));
      }
      d[unknown] = Math.toIntExact(x.size() / known);
    } else if (known != x.size()) {
      throw new OnnxModelException(describe(n) + ": cannot reshape dims " + Arrays.toString(x.dims()) + " to " + Arrays.toString(shape));
    }
    return d;
  }

  private static OnnxConst transpose(NodeProto n, OnnxConst x, int[] perm) {
    int[] dims = x.dims();
    int r = dims.length;
    if (perm == null) {
      perm = new int[r];
      for (int i = 0; i < r; i++) {
        perm[i] = r - 1 - i;
      }
    }
    int[] sorted = perm.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < r; i++) {
      if (sorted.length != r || sorted[i] != i) {
        throw new OnnxModelException(describe(n) + ": perm " + Arrays.toString(perm) + " is not a permutation of " + r + " axes");
      }
    }
    int[] outDims = new int[r];
    for (int i = 0; i < r; i++) {
      outDims[i] = dims[perm[i]];
    }
    long[] inStrides = strides(dims);
    float[] src = x.floats();
    long[] srcL = x.longs();
    int size = x.size();
    float[] f = src != null ? new float[size] : null;
    long[] l = src != null ? null : new long[size];
    int[] idx = new int[r];
    for (int o = 0; o < size; o++) {
      long off = 0;
      for (int i = 0; i < r; i++) {
        off += idx[i] * inStrides[perm[i]];
      }
      if (f != null) {
        f[o] = src[(int) off];
      } else {
        l[o] = srcL[(int) off];
      }
      for (int i = r - 1; i >= 0; i--) {
        if (++idx[i] < outDims[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return new OnnxConst(n.getOutput(0), outDims, f, l);
  }

  private static long[] strides(int[] dims) {
    long[] st = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      st[i] = acc;
      acc *= dims[i];
    }
    return st;
  }
}
