package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;

/**
 * Kernels of the spiking ops ({@link Lif}, {@link TimeEncode}, {@link TimeMean}) on the
 * time-folded layout {@code [T*B, ...]}, time-major. All are built from differentiable DJL ops, so
 * they train under a gradient collector; the LIF spike uses the straight-through surrogate
 * documented on {@link Lif}. Temporaries live in the caller's scope (see {@link OpKernels}).
 */
final class SpikingKernels {
  private SpikingKernels() {}

  /** The LIF recurrence over T steps: unfold {@code [T, B, ...]}, iterate, refold. */
  static NDArray lif(Node node, Lif op, NDArray x) {
    return lif(node, op, x, null);
  }

  /**
   * As {@link #lif(Node, Lif, NDArray)}; when {@code membranes} is not null, also appends the
   * membrane {@code U[t]} after reset of every step (arrays in {@code x}'s manager; for tests).
   */
  static NDArray lif(Node node, Lif op, NDArray x, List<NDArray> membranes) {
    long[] d = x.getShape().getShape();
    int steps = op.timesteps();
    if (d.length < 2 || d[0] % steps != 0) {
      throw new IllegalArgumentException("node '" + node.name() + "': lif with " + steps
          + " timesteps needs [T*batch, ...], got " + x.getShape());
    }
    long[] unfolded = new long[d.length + 1];
    unfolded[0] = steps;
    unfolded[1] = d[0] / steps;
    System.arraycopy(d, 1, unfolded, 2, d.length - 1);
    NDArray seq = x.reshape(unfolded);
    float beta = op.beta();
    float th = op.threshold();
    float k = op.surrogateSlope();
    List<NDArray> spikes = new ArrayList<>(steps);
    NDArray u = null;
    for (int t = 0; t < steps; t++) {
      NDArray input = seq.get(t);
      // Out-of-place arithmetic only: in-place ops on arrays in the autograd graph break it.
      NDArray h = u == null ? input : u.mul(beta).add(input);
      NDArray over = h.sub(th);
      NDArray heaviside = over.gte(0f).toType(DataType.FLOAT32, false);
      NDArray surrogate = over.div(over.abs().mul(k).add(1f));
      // Forward: exactly the step (surrogate - surrogate = 0); backward: the surrogate's derivative.
      NDArray s = heaviside.add(surrogate.sub(surrogate.stopGradient()));
      spikes.add(s);
      if (t + 1 < steps || membranes != null) {
        u = op.reset() == Lif.Reset.SUBTRACT
            ? h.sub(heaviside.mul(th))
            : h.mul(heaviside.neg().add(1f));
        if (membranes != null) {
          membranes.add(u);
        }
      }
    }
    NDArray stacked = steps == 1 ? spikes.get(0).expandDims(0) : NDArrays.stack(new NDList(spikes), 0);
    return stacked.reshape(d);
  }

  /** {@code [B, ...] -> [T*B, ...]} by repetition, or {@code [B, T, ...] -> [T*B, ...]}. */
  static NDArray encode(Node node, TimeEncode op, NDArray x) {
    long[] d = x.getShape().getShape();
    int steps = op.timesteps();
    if (op.mode() == TimeEncode.Mode.REPEAT) {
      if (steps == 1) {
        return x.duplicate();
      }
      List<NDArray> copies = new ArrayList<>(steps);
      for (int t = 0; t < steps; t++) {
        copies.add(x);
      }
      return NDArrays.concat(new NDList(copies), 0);
    }
    if (d.length < 3 || d[1] != steps) {
      throw new IllegalArgumentException("node '" + node.name() + "': timeencode UNFOLD with " + steps
          + " timesteps needs [batch, " + steps + ", ...], got " + x.getShape());
    }
    int[] axes = new int[d.length];
    axes[0] = 1;
    axes[1] = 0;
    for (int i = 2; i < d.length; i++) {
      axes[i] = i;
    }
    long[] folded = new long[d.length - 1];
    folded[0] = d[0] * steps;
    System.arraycopy(d, 2, folded, 1, d.length - 2);
    return x.transpose(axes).reshape(folded);
  }

  /** {@code [T*B, ...] -> [B, ...]}, the mean over the T steps. */
  static NDArray mean(Node node, TimeMean op, NDArray x) {
    long[] d = x.getShape().getShape();
    int steps = op.timesteps();
    if (d.length < 2 || d[0] % steps != 0) {
      throw new IllegalArgumentException("node '" + node.name() + "': timemean with " + steps
          + " timesteps needs [T*batch, ...], got " + x.getShape());
    }
    long[] unfolded = new long[d.length + 1];
    unfolded[0] = steps;
    unfolded[1] = d[0] / steps;
    System.arraycopy(d, 1, unfolded, 2, d.length - 1);
    return x.reshape(unfolded).mean(new int[] {0});
  }
}
