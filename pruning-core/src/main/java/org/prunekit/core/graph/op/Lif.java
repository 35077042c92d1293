package org.prunekit.core.graph.op;

import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * A layer of leaky integrate-and-fire (LIF) neurons run over {@code timesteps} steps, one neuron
 * per input element.
 *
 * <h2>Time axis</h2>
 *
 * Spiking tensors carry time folded into the batch, time-major: a tensor of {@code T} steps of a
 * batch of {@code B} has shape {@code [T*B, ...]}, element {@code t*B + b} along the first axis
 * being sample {@code b} at step {@code t} (SpikingJelly's multi-step layout {@code [T, B, ...]}
 * flattened). Linear, convolution, batch-norm, pooling and flatten layers therefore run on every
 * step unchanged. {@link TimeEncode} makes such a tensor from an ordinary input (direct encoding or
 * an explicit time axis) and {@link TimeMean} averages it back over time (rate read-out). Shape
 * inference only checks that the first axis is divisible by T; {@code
 * org.prunekit.core.snn.TemporalLayout#of} checks that every op sees the step count it expects.
 *
 * <h2>Dynamics</h2>
 *
 * With input current {@code I[t]} (the input at step {@code t}) and membrane {@code U[0] = 0}:
 *
 * <pre>
 *   H[t] = beta * U[t-1] + I[t]                  (leak, then integrate)
 *   S[t] = 1 if H[t] >= threshold, else 0        (fire; the layer's output at step t)
 *   U[t] = H[t] - S[t] * threshold               (reset SUBTRACT, "soft" reset)
 *   U[t] = H[t] * (1 - S[t])                     (reset ZERO, "hard" reset to 0)
 * </pre>
 *
 * {@code beta = 1} is the non-leaky integrate-and-fire neuron; {@code beta = 0} is memoryless.
 *
 * <h2>Surrogate gradient</h2>
 *
 * The Heaviside step has no useful derivative, so training uses the fast-sigmoid surrogate
 * (SuperSpike, Zenke and Ganguli 2018; snnTorch's {@code fast_sigmoid}): the forward value is the
 * exact spike, the backward pass uses
 *
 * <pre>
 *   dS/dH = 1 / (1 + surrogateSlope * |H - threshold|)^2
 * </pre>
 *
 * implemented as {@code heaviside(x) + (s_sur - stopGradient(s_sur))} with {@code s_sur = x / (1 +
 * k |x|)}, {@code x = H - threshold}: the forward value is exactly 0 or 1 and the derivative is
 * exactly the expression above (the straight-through trick). The reset
 * term uses the spike with its gradient stopped (snnTorch's default "detached reset"), so
 * gradients flow through the leak and the surrogate only.
 *
 * @param timesteps T, the number of steps folded into the batch ({@code >= 1})
 * @param beta membrane decay per step, in {@code [0, 1]}
 * @param threshold firing threshold, finite and {@code > 0}
 * @param reset what firing does to the membrane
 * @param surrogateSlope the fast-sigmoid slope {@code k}, finite and {@code > 0} (snnTorch's
 *     default is 25)
 */
public record Lif(int timesteps, float beta, float threshold, Reset reset, float surrogateSlope) implements Op {
  /** The default surrogate slope (snnTorch's {@code fast_sigmoid} default). */
  public static final float DEFAULT_SLOPE = 25f;

  /** What firing does to the membrane potential. */
  public enum Reset {
    /** Subtract the threshold ("soft" reset): {@code U = H - S * threshold}. */
    SUBTRACT,
    /** Set to zero ("hard" reset): {@code U = H * (1 - S)}. */
    ZERO
  }

  /** Validates the fields. */
  public Lif {
    if (timesteps < 1) {
      throw new IllegalArgumentException("lif timesteps must be >= 1, got " + timesteps);
    }
    if (!(beta >= 0f && beta <= 1f)) {
      throw new IllegalArgumentException("lif beta (membrane decay) must be in [0, 1], got " + beta);
    }
    if (!(threshold > 0f) || !Float.isFinite(threshold)) {
      throw new IllegalArgumentException("lif threshold must be finite and > 0, got " + threshold);
    }
    Objects.requireNonNull(reset, "reset");
    if (!(surrogateSlope > 0f) || !Float.isFinite(surrogateSlope)) {
      throw new IllegalArgumentException("lif surrogateSlope must be finite and > 0, got " + surrogateSlope);
    }
  }

  /** A LIF layer with threshold 1, subtractive reset and the default surrogate slope. */
  public static Lif of(int timesteps, float beta) {
    return new Lif(timesteps, beta, 1f, Reset.SUBTRACT, DEFAULT_SLOPE);
  }

  @Override
  public String type() {
    return "lif";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() >= 2, node, in, "lif needs [T*batch, features...], got rank " + x.rank());
    ShapeChecks.require(x.get(0) % timesteps == 0, node, in, "lif with " + timesteps
        + " timesteps needs a first axis of T*batch (time folded into the batch, see TimeEncode), got " + x.get(0));
    return x;
  }
}
