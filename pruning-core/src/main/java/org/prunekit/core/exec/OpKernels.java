package org.prunekit.core.exec;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;

/**
 * The execution of every {@link org.prunekit.core.graph.op.Op} with DJL {@link NDArray}
 * operations. The single place where op semantics meet the engine; convolution and pooling live
 * in {@link WindowKernels}, attention in {@link AttentionKernel}, the spiking ops in {@link
 * SpikingKernels}.
 *
 * <p>Memory: temporaries are created in a sub-manager of the first input's manager and closed
 * before returning; the result is a fresh array (never one of the inputs) attached to the first
 * input's manager, owned by the caller. Inputs and parameter arrays are never closed or changed,
 * except BatchNorm's running statistics, which training mode updates in place (so they must not
 * require gradients).
 */
public final class OpKernels {
  private OpKernels() {}

  /**
   * Computes one node.
   *
   * @param node the node (its op and parameters)
   * @param inputs one array per node input, in order
   * @param params where the node's parameter arrays come from
   * @param training whether dropout is active and batch-norm uses (and updates) batch statistics
   * @return the node's output, a new array in the first input's manager
   * @throws IllegalArgumentException naming the node when inputs do not fit
   * @throws IllegalStateException naming the node when the engine rejects the computation
   */
  public static NDArray forward(Node node, List<NDArray> inputs, ParameterSource params, boolean training) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("node '" + node.name() + "': no inputs given");
    }
    NDManager parent = inputs.get(0).getManager();
    try (NDManager scope = parent.newSubManager()) {
      Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (NDArray in : inputs) {
        if (seen.add(in)) {
          scope.tempAttachAll(in);
        }
      }
      NDArray out = compute(node, inputs, params, training, scope);
      if (seen.contains(out)) {
        out = out.duplicate();
      }
      out.attach(parent);
      return out;
    } catch (EngineException e) {
      throw new IllegalStateException(
          "node '" + node.name() + "' (" + node.op().type() + ") failed on inputs " + shapes(inputs) + ": " + e.getMessage(), e);
    }
  }

  private static NDArray compute(Node node, List<NDArray> in, ParameterSource ps, boolean training, NDManager scope) {
    NDArray x = in.get(0);
    Op op = node.op();
    if (op instanceof Linear l) {
      NDArray w = param(node, ps, "weight");
      return l.bias()
          ? ai.djl.nn.core.Linear.linear(x, w, param(node, ps, "bias")).singletonOrThrow()
          : ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow();
    } else if (op instanceof Conv c) {
      return WindowKernels.conv(node, c, x, ps);
    } else if (op instanceof Pool p) {
      return WindowKernels.pool(node, p, x, scope);
    } else if (op instanceof GlobalPool g) {
      return globalPool(g, x);
    } else if (op instanceof BatchNorm b) {
      // DJL's momentum is the weight of the old running value (PyTorch engine passes 1 - momentum
      // to at::batch_norm), ours is PyTorch's: the weight of the batch statistic.
      return ai.djl.nn.norm.BatchNorm.batchNorm(
              x, param(node, ps, "running_mean"), param(node, ps, "running_var"),
              param(node, ps, "gamma"), param(node, ps, "beta"),
              1, 1f - b.momentum(), b.epsilon(), training)
          .singletonOrThrow();
    } else if (op instanceof LayerNorm l) {
      ai.djl.ndarray.types.Shape normalized = new ai.djl.ndarray.types.Shape(l.dim());
      NDArray gamma = l.affine() ? param(node, ps, "gamma") : scope.ones(normalized);
      NDArray beta = l.affine() ? param(node, ps, "beta") : scope.zeros(normalized);
      return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, gamma, beta, l.epsilon()).singletonOrThrow();
    } else if (op instanceof RmsNorm r) {
      int last = x.getShape().dimension() - 1;
      NDArray rms = x.square().mean(new int[] {last}, true).addi(r.epsilon()).sqrt();
      // Out-of-place products: in-place ones on arrays that require gradients would break autograd.
      return x.div(rms).mul(param(node, ps, "gamma"));
    } else if (op instanceof Embedding e) {
      return embedding(node, e, x, ps, scope);
    } else if (op instanceof Attention a) {
      return AttentionKernel.forward(node, a, x, ps, scope);
    } else if (op instanceof Activation a) {
      return activation(a, x);
    } else if (op instanceof Flatten f) {
      long[] d = x.getShape().getShape();
      long[] t = new long[f.startDim() + 1];
      System.arraycopy(d, 0, t, 0, f.startDim());
      t[f.startDim()] = -1;
      return x.reshape(t);
    } else if (op instanceof Reshape r) {
      int[] target = r.target();
      long[] t = new long[target.length + 1];
      t[0] = x.getShape().get(0);
      for (int i = 0; i < target.length; i++) {
        t[i + 1] = target[i];
      }
      return x.reshape(t);
    } else if (op instanceof Add) {
      NDArray s = x.add(in.get(1));
      for (int i = 2; i < in.size(); i++) {
        s.addi(in.get(i));
      }
      return s;
    } else if (op instanceof Mul) {
      NDArray s = x.mul(in.get(1));
      for (int i = 2; i < in.size(); i++) {
        s = s.mul(in.get(i));
      }
      return s;
    } else if (op instanceof Concat c) {
      return NDArrays.concat(new NDList(in), c.axis());
    } else if (op instanceof Dropout d) {
      return training && d.rate() > 0f
          ? ai.djl.nn.norm.Dropout.dropout(x, d.rate(), true).singletonOrThrow()
          : x.duplicate();
    } else if (op instanceof Identity) {
      return x.duplicate();
    } else if (op instanceof Lif l) {
      return SpikingKernels.lif(node, l, x);
    } else if (op instanceof TimeEncode e) {
      return SpikingKernels.encode(node, e, x);
    } else if (op instanceof TimeMean m) {
      return SpikingKernels.mean(node, m, x);
    }
    throw new IllegalArgumentException("node '" + node.name() + "': no kernel for op type '" + op.type() + "'");
  }

  private static NDArray activation(Activation a, NDArray x) {
    switch (a.kind()) {
      case RELU:
        return ai.djl.nn.Activation.relu(x);
      case GELU:
        // PyTorch's gelu with approximate='none': 0.5 x (1 + erf(x / sqrt 2)); checked in tests.
        return ai.djl.nn.Activation.gelu(x);
      case SILU:
        return ai.djl.nn.Activation.swish(x, 1f);
      case TANH:
        return ai.djl.nn.Activation.tanh(x);
      case SIGMOID:
        return ai.djl.nn.Activation.sigmoid(x);
      case SOFTMAX:
        return x.softmax(a.axis() < 0 ? x.getShape().dimension() + a.axis() : a.axis());
      case LOG_SOFTMAX:
        return x.logSoftmax(a.axis() < 0 ? x.getShape().dimension() + a.axis() : a.axis());
      default:
        throw new IllegalArgumentException("unknown activation " + a.kind());
    }
  }

  private static NDArray globalPool(GlobalPool g, NDArray x) {
    // [N, C, spatial...] -> [N, C, S] -> reduce axis 2 (PyTorch's max takes a single axis).
    long[] d = x.getShape().getShape();
    NDArray flat = x.reshape(d[0], d[1], -1);
    NDArray r = g.kind() == Pool.Kind.MAX ? flat.max(new int[] {2}, false) : flat.mean(new int[] {2}, false);
    if (!g.keepDims()) {
      return r;
    }
    long[] keep = d.clone();
    for (int i = 2; i < keep.length; i++) {
      keep[i] = 1;
    }
    return r.reshape(keep);
  }

  private static NDArray embedding(Node node, Embedding e, NDArray x, ParameterSource ps, NDManager scope) {
    if (x.size() > 0) {
      float min = x.min().getFloat();
      float max = x.max().getFloat();
      float frac = x.sub(x.floor()).abs().max().getFloat();
      if (min < 0 || max >= e.vocabSize() || frac != 0f) {
        throw new IllegalArgumentException("node '" + node.name() + "': embedding token ids must be whole numbers in [0, "
            + e.vocabSize() + "), got values in [" + min + ", " + max + "]" + (frac != 0f ? " with fractions" : ""));
      }
    }
    NDArray ids = x.toType(DataType.INT64, false);
    NDArray out = ai.djl.nn.core.Embedding.embedding(ids, param(node, ps, "weight"), SparseFormat.DENSE)
        .singletonOrThrow();
    out.attach(scope);
    return out;
  }

  /** The node's parameter array {@code local}, with an error naming the node if the source has none. */
  static NDArray param(Node node, ParameterSource ps, String local) {
    Parameter p = node.param(local);
    if (p == null) {
      throw new IllegalArgumentException("node '" + node.name() + "' has no parameter '" + local + "'");
    }
    NDArray a = ps.array(p);
    if (a == null) {
      throw new IllegalArgumentException("no array for parameter '" + p.qualifiedName() + "'");
    }
    long[] want = p.shape().toLongArray();
    if (!java.util.Arrays.equals(a.getShape().getShape(), want)) {
      throw new IllegalArgumentException("array for parameter '" + p.qualifiedName() + "' has shape " + a.getShape()
          + ", the parameter has " + p.shape());
    }
    return a;
  }

  private static String shapes(List<NDArray> in) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < in.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(in.get(i).getShape());
    }
    return sb.append(']').toString();
  }
}
