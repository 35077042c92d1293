package org.prunekit.analysis.simcert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;

/**
 * An original network {@code f} and a compressed network {@code g} compiled side by side for
 * bound propagation: the "dual network" of SimCert, in which the compressed network lives on the
 * original's layer shapes (pruned weights are exact zeros, quantised weights their de-quantised
 * values).
 *
 * <p>Both graphs must be chains (one input, one output, every node reading the previous one) with
 * the same ops node by node; supported ops are {@link Linear}, {@link Conv}, {@link BatchNorm}
 * (inference statistics), ReLU {@link Activation}, max and average {@link Pool}; {@link Flatten},
 * {@link Reshape}, {@link Identity} and {@link Dropout} (inference) pass through. Effective weights
 * are {@code value * mask}. The weights are copied at compile time: later changes to the graphs
 * are not seen.
 */
public final class DualNetwork {
  private final int inputSize;
  private final int outputSize;
  private final List<Layer> layers;
  private final int changedWeights;

  private DualNetwork(int inputSize, int outputSize, List<Layer> layers, int changedWeights) {
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.layers = Collections.unmodifiableList(layers);
    this.changedWeights = changedWeights;
  }

  /**
   * Compiles the pair.
   *
   * @param original the original network {@code f}
   * @param compressed the pruned or quantised network {@code g}
   * @throws IllegalArgumentException naming the node and op at fault: a graph that is not a
   *     chain, an unsupported op, differing ops or input shapes between the two graphs
   */
  public static DualNetwork of(Graph original, Graph compressed) {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(compressed, "compressed");
    checkChain(original, "original");
    checkChain(compressed, "compressed");
    Shape inF = original.inputs().get(0).sampleShape();
    Shape inG = compressed.inputs().get(0).sampleShape();
    if (!inF.equals(inG)) {
      throw new IllegalArgumentException("input shapes differ: original " + inF + ", compressed " + inG);
    }
    List<Node> nf = original.nodes();
    List<Node> ng = compressed.nodes();
    if (nf.size() != ng.size()) {
      throw new IllegalArgumentException("the graphs differ in length: original has " + nf.size()
          + " nodes, compressed " + ng.size() + "; SimCert needs the same layers (pruned weights as zeros)");
    }
    for (int i = 0; i < nf.size(); i++) {
      Node a = nf.get(i);
      Node b = ng.get(i);
      checkSupported(a, "original");
      if (!a.op().equals(b.op())) {
        throw new IllegalArgumentException("node " + i + " differs: original '" + a.name() + "' is " + a.op()
            + ", compressed '" + b.name() + "' is " + b.op());
      }
    }
    Map<String, Shape> shapes = original.inferShapes(1);
    List<Layer> layers = new ArrayList<>();
    int changed = 0;
    String prev = original.inputs().get(0).name();
    for (int i = 0; i < nf.size(); i++) {
      Node a = nf.get(i);
      Node b = ng.get(i);
      Shape in = shapes.get(prev).dropFirst();
      Shape out = shapes.get(a.name()).dropFirst();
      Layer l = LayerCompiler.compile(a, b, in, out);
      if (l != null) {
        layers.add(l);
        if (l instanceof Layer.Affine af) {
          changed += countChanged(af);
        }
      }
      prev = a.name();
    }
    int inSize = Math.toIntExact(inF.size());
    int outSize = Math.toIntExact(shapes.get(prev).sizeFrom(1));
    return new DualNetwork(inSize, outSize, layers, changed);
  }

  private static void checkChain(Graph g, String which) {
    if (g.inputs().size() != 1 || g.outputs().size() != 1) {
      throw new IllegalArgumentException("the " + which + " graph has " + g.inputs().size() + " input(s) and "
          + g.outputs().size() + " output(s); SimCert needs one of each");
    }
    String prev = g.inputs().get(0).name();
    for (Node n : g.nodes()) {
      if (n.inputs().size() != 1 || !n.inputs().get(0).equals(prev)) {
        throw new IllegalArgumentException("the " + which + " graph is not a chain: node '" + n.name() + "' ("
            + n.op().type() + ") reads " + n.inputs() + ", expected ['" + prev + "']");
      }
      prev = n.name();
    }
    if (!g.outputs().get(0).equals(prev)) {
      throw new IllegalArgumentException("the " + which + " graph's output '" + g.outputs().get(0)
          + "' is not its last node '" + prev + "'");
    }
  }

  private static void checkSupported(Node n, String which) {
    Op op = n.op();
    boolean ok = op instanceof Linear || op instanceof Conv || op instanceof BatchNorm || op instanceof Flatten
        || op instanceof Reshape || op instanceof Identity || op instanceof Dropout
        || op instanceof Activation act && act.kind() == Activation.Kind.RELU || op instanceof Pool;
    if (!ok) {
      throw new IllegalArgumentException("SimCert cannot bound node '" + n.name() + "' of the " + which + " graph: op "
          + op.type() + " (" + op + ") is not supported; supported: linear, conv, batchnorm, relu, max/avg pool, "
          + "flatten, reshape, identity, dropout" + (op instanceof Activation a
              && (a.kind() == Activation.Kind.SOFTMAX || a.kind() == Activation.Kind.LOG_SOFTMAX)
              ? " (certify the logits: see SimCert.withoutTrailingSoftmax)" : ""));
    }
  }

  private static int countChanged(Layer.Affine a) {
    int c = 0;
    for (int o = 0; o < a.outSize(); o++) {
      for (int k = 0; k < a.wf()[o].length; k++) {
        if (a.wf()[o][k] != a.wg()[o][k]) {
          c++;
        }
      }
    }
    return c;
  }

  /** Size of the flattened input. */
  public int inputSize() {
    return inputSize;
  }

  /** Size of the flattened output (the number of outputs {@code m}). */
  public int outputSize() {
    return outputSize;
  }

  /**
   * Number of affine weight entries whose effective value differs between the networks (shared
   * weights of convolutions counted once per use).
   */
  public int changedWeightUses() {
    return changedWeights;
  }

  /** The compiled layers. */
  List<Layer> layers() {
    return layers;
  }

  /** Effective value ({@code value * mask}) of a parameter as doubles. */
  static double[] effective(Parameter p) {
    float[] v = p.value().data();
    double[] r = new double[v.length];
    float[] m = p.hasMask() ? p.mask().data() : null;
    for (int i = 0; i < v.length; i++) {
      r[i] = m == null ? v[i] : (double) v[i] * m[i];
    }
    return r;
  }
}
