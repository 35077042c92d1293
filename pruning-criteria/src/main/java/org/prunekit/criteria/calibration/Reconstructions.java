package org.prunekit.criteria.calibration;

import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;

/** Checks a {@link LayerReconstructor}'s output before anything is installed. */
final class Reconstructions {
  private Reconstructions() {}

  /**
   * Validates {@code r} for {@code p} and returns {@code {value, mask}} to install, the mask ANDed
   * with any mask {@code p} already carries (masks never regrow) and the value zeroed there.
   *
   * @throws IllegalArgumentException naming the method, parameter and index at fault
   */
  static Tensor[] validate(String method, Parameter p, Reconstruction r) {
    String at = "'" + method + "' reconstruction of '" + p.qualifiedName() + "'";
    if (r == null) {
      throw new IllegalArgumentException(at + " returned null");
    }
    if (!r.value().shape().equals(p.shape())) {
      throw new IllegalArgumentException(at + " has shape " + r.value().shape() + ", the weight has " + p.shape());
    }
    float[] v = r.value().data();
    float[] m = r.mask().data();
    float[] old = p.hasMask() ? p.mask().data() : null;
    float[] nv = new float[v.length];
    float[] nm = new float[m.length];
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(at + " holds " + v[i] + " at flat index " + i);
      }
      if (m[i] != 0f && m[i] != 1f) {
        throw new IllegalArgumentException(at + ": mask holds " + m[i] + " at flat index " + i + "; masks hold 0 or 1");
      }
      if (m[i] == 0f && v[i] != 0f) {
        throw new IllegalArgumentException(at + ": pruned entry " + i + " has value " + v[i] + ", not 0");
      }
      boolean keep = m[i] == 1f && (old == null || old[i] == 1f);
      nm[i] = keep ? 1f : 0f;
      nv[i] = keep ? v[i] : 0f;
    }
    return new Tensor[] {new Tensor(p.shape(), nv), new Tensor(p.shape(), nm)};
  }
}
