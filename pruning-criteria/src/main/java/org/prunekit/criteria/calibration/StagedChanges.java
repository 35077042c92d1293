package org.prunekit.criteria.calibration;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;

/**
 * Masks (and reconstructed values) installed on parameters during a sequential run, with what they
 * replaced, so that a failure part-way restores the graph exactly. Installing a mask does not touch
 * the value (the executor multiplies by the mask); values are zeroed only when the run commits.
 */
final class StagedChanges {
  private record Old(Tensor value, Tensor mask) {}

  private final Map<Parameter, Old> old = new LinkedHashMap<>();
  private final MaskSet.Builder masks = MaskSet.builder();

  /** Installs {@code mask} (and {@code value} unless null) on {@code p}, remembering the previous state once. */
  void stage(Parameter p, Tensor value, Tensor mask) {
    old.putIfAbsent(p, new Old(p.value(), p.mask()));
    if (value != null) {
      p.setValue(value);
    }
    p.setMask(mask);
    masks.put(p.qualifiedName(), mask);
  }

  /** The staged masks, in staging order. */
  MaskSet masks() {
    return masks.build();
  }

  /** Puts every staged parameter back as it was. */
  void rollback() {
    for (Map.Entry<Parameter, Old> e : old.entrySet()) {
      e.getKey().setValue(e.getValue().value());
      e.getKey().setMask(e.getValue().mask());
    }
    old.clear();
  }
}
