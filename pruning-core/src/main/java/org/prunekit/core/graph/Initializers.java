package org.prunekit.core.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.tensor.Tensor;

/**
 * Deterministic parameter initialisation from a seed.
 *
 * <p>Rules: conv and linear weights He-uniform ({@code U(-sqrt(6/fanIn), sqrt(6/fanIn))}, suited
 * to ReLU nets); attention projections and embeddings {@code N(0, 0.02)}; biases and betas 0;
 * gammas 1; BatchNorm running mean 0 and variance 1.
 */
public final class Initializers {
  private Initializers() {}

  /** Fresh values for every parameter {@code op} declares. */
  public static Map<String, Tensor> initialize(Op op, SplittableRandom rng) {
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (ParamSpec spec : op.parameterSpecs()) {
      values.put(spec.name(), initialize(op, spec, rng));
    }
    return values;
  }

  private static Tensor initialize(Op op, ParamSpec spec, SplittableRandom rng) {
    Shape s = spec.shape();
    switch (spec.role()) {
      case GAMMA:
      case RUNNING_VAR:
        return Tensor.full(s, 1f);
      case BIAS:
      case BETA:
      case RUNNING_MEAN:
        return Tensor.zeros(s);
      case EMBEDDING:
        return normal(s, 0.02, rng);
      case WEIGHT:
      default:
        if (op instanceof Attention) {
          return normal(s, 0.02, rng);
        }
        long fanIn = s.sizeFrom(1);
        double bound = Math.sqrt(6.0 / fanIn);
        float[] d = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < d.length; i++) {
          d[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return new Tensor(s, d);
    }
  }

  private static Tensor normal(Shape s, double std, SplittableRandom rng) {
    float[] d = new float[Math.toIntExact(s.size())];
    for (int i = 0; i < d.length; i++) {
      // Box-Muller keeps this deterministic for a given SplittableRandom seed.
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      d[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    return new Tensor(s, d);
  }
}
