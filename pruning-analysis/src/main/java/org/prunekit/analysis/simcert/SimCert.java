package org.prunekit.analysis.simcert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Activation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probabilistic certification of behavioural similarity between an original network {@code f}
 * and a compressed one {@code g} (spec §3.7): proves {@code P_{x~U(X)}(||f(x) - g(x)||_∞ <= ε) >=
 * 1 - δ} on an input box {@code X}.
 *
 * <p>Per box: bounds through both networks and their difference ({@link DualNetwork}), then per
 * output {@code j} and side the Bernstein deviation at {@code δ' = δ / (2m)} (union bound over the
 * {@code m} outputs and two sides), capped by the worst case. Uncertified boxes are bisected
 * breadth-first (by {@link SplitRule}) until certified, or until {@code maxDepth} or {@code
 * maxBoxes} is reached. The halves are uniform sub-boxes of equal probability, so a guarantee at
 * {@code δ} on every leaf holds at {@code δ} on the whole box.
 *
 * <pre>{@code
 * SimCert cert = SimCert.builder().setEpsilon(0.5).setConfidence(0.99).build();
 * SimCertResult r = cert.certify(original, pruned, InputBox.around(image, 2, 0, 255));
 * }</pre>
 */
public final class SimCert {
  private static final Logger LOG = LoggerFactory.getLogger(SimCert.class);

  private final double epsilon;
  private final double confidence;
  private final BoundMethod method;
  private final SplitRule splitRule;
  private final int maxDepth;
  private final int maxBoxes;

  private SimCert(Builder b) {
    this.epsilon = b.epsilon;
    this.confidence = b.confidence;
    this.method = b.method;
    this.splitRule = b.splitRule;
    this.maxDepth = b.maxDepth;
    this.maxBoxes = b.maxBoxes;
  }

  /** A builder; epsilon and confidence are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tolerance ε. */
  public double epsilon() {
    return epsilon;
  }

  /** The confidence {@code 1 - δ}. */
  public double confidence() {
    return confidence;
  }

  /**
   * Certifies {@code compressed} against {@code original} on {@code box}.
   *
   * @throws IllegalArgumentException for graphs SimCert cannot compile (see {@link
   *     DualNetwork#of}) or a box of the wrong size
   */
  public SimCertResult certify(Graph original, Graph compressed, InputBox box) {
    return certify(DualNetwork.of(original, compressed), box);
  }

  /** Certifies a compiled pair on {@code box}. */
  public SimCertResult certify(DualNetwork net, InputBox box) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(box, "box");
    if (box.dims() != net.inputSize()) {
      throw new IllegalArgumentException(
          "input box has " + box.dims() + " dimensions, the networks take " + net.inputSize() + " inputs");
    }
    long start = System.nanoTime();
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    int m = net.outputSize();
    double deltaPrime = (1 - confidence) / (2.0 * m);
    double[] lower = filled(m, Double.POSITIVE_INFINITY);
    double[] upper = filled(m, Double.NEGATIVE_INFINITY);
    double[] dLower = filled(m, Double.POSITIVE_INFINITY);
    double[] dUpper = filled(m, Double.NEGATIVE_INFINITY);
    List<InputBox> level = new ArrayList<>(List.of(box));
    int evaluated = 0;
    int splits = 0;
    int depth = 0;
    int uncertified = 0;
    while (!level.isEmpty()) {
      List<InputBox> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i++) {
        InputBox b = level.get(i);
        Leaf leaf = evaluate(net, b, deltaPrime);
        evaluated++;
        int pending = level.size() - 1 - i + next.size();
        boolean canSplit = depth < maxDepth && evaluated + pending + 2 <= maxBoxes;
        if (!leaf.certified && canSplit) {
          int dim = splitDimension(b, leaf.bounds);
          next.add(b.half(dim, false));
          next.add(b.half(dim, true));
          splits++;
          continue;
        }
        for (int j = 0; j < m; j++) {
          lower[j] = Math.min(lower[j], leaf.lower[j]);
          upper[j] = Math.max(upper[j], leaf.upper[j]);
          dLower[j] = Math.min(dLower[j], leaf.bounds.cl()[j]);
          dUpper[j] = Math.max(dUpper[j], leaf.bounds.cu()[j]);
        }
        uncertified += leaf.certified ? 0 : 1;
      }
      if (!next.isEmpty()) {
        depth++;
      }
      level = next;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = cpuStart >= 0 ? (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9 : Double.NaN;
    SimCertResult r = new SimCertResult(uncertified == 0, epsilon, confidence, lower, upper, dLower, dUpper,
        evaluated, splits, depth, uncertified, seconds, cpu);
    LOG.debug("simcert: certified={} eps={} conf={} bound={} boxes={} in {} s", r.certified(), epsilon, confidence,
        r.certifiedEpsilon(), evaluated, seconds);
    return r;
  }

  private record Leaf(DeltaBounds bounds, double[] lower, double[] upper, boolean certified) {}

  private Leaf evaluate(DualNetwork net, InputBox box, double deltaPrime) {
    DeltaBounds d = DualPropagator.propagate(net, box, method);
    int m = d.cu().length;
    double[] lo = new double[m];
    double[] up = new double[m];
    boolean ok = true;
    for (int j = 0; j < m; j++) {
      up[j] = Math.min(d.cu()[j], probabilistic(d.up()[j], box, d.symbolicVars(), deltaPrime, true));
      lo[j] = Math.max(d.cl()[j], probabilistic(d.lo()[j], box, d.symbolicVars(), deltaPrime, false));
      ok &= up[j] <= epsilon && lo[j] >= -epsilon;
    }
    return new Leaf(d, lo, up, ok);
  }

  /** {@code c^T μ + e ± t} for a form {@code [c, e]}; a constant form is its constant. */
  static double probabilistic(double[] form, InputBox box, int nv, double deltaPrime, boolean upperSide) {
    if (form == null) {
      return 0;
    }
    if (nv == 0) {
      return form[0];
    }
    double t = Bernstein.deviation(form, box, deltaPrime);
    double mean = Bernstein.mean(form, box);
    return upperSide ? mean + t : mean - t;
  }

  private int splitDimension(InputBox b, DeltaBounds d) {
    int best = 0;
    if (splitRule == SplitRule.SMEAR && d.symbolicVars() > 0) {
      double[] score = new double[b.dims()];
      for (double[][] forms : new double[][][] {d.up(), d.lo()}) {
        for (double[] f : forms) {
          if (f != null) {
            for (int i = 0; i < b.dims(); i++) {
              score[i] += Math.abs(f[i]) * b.width(i);
            }
          }
        }
      }
      for (int i = 1; i < score.length; i++) {
        if (score[i] > score[best]) {
          best = i;
        }
      }
      if (score[best] > 0) {
        return best;
      }
    }
    for (int i = 1; i < b.dims(); i++) {
      if (b.width(i) > b.width(best)) {
        best = i;
      }
    }
    return best;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  /**
   * A copy of {@code g} without its trailing softmax or log-softmax nodes, so that the logits are
   * certified (argmax and ranking are unchanged by them). Returns a copy even if there is none.
   */
  public static Graph withoutTrailingSoftmax(Graph g) {
    Graph c = g.copy();
    List<Node> nodes = new ArrayList<>(c.nodes());
    while (nodes.size() > 1 && nodes.get(nodes.size() - 1).op() instanceof Activation a
        && (a.kind() == Activation.Kind.SOFTMAX || a.kind() == Activation.Kind.LOG_SOFTMAX)
        && c.outputs().size() == 1) {
      nodes.remove(nodes.size() - 1);
    }
    if (nodes.size() == c.nodes().size()) {
      return c;
    }
    return new Graph(c.inputs(), nodes, List.of(nodes.get(nodes.size() - 1).name()));
  }

  /** Builder: {@code setEpsilon}, {@code setConfidence} required; the rest optional. */
  public static final class Builder {
    private double epsilon = Double.NaN;
    private double confidence = Double.NaN;
    private BoundMethod method = BoundMethod.SYMBOLIC;
    private SplitRule splitRule = SplitRule.WIDEST;
    private int maxDepth = 10;
    private int maxBoxes = 256;

    private Builder() {}

    /** Output tolerance ε >= 0 (required). */
    public Builder setEpsilon(double epsilon) {
      if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
        throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
      }
      this.epsilon = epsilon;
      return this;
    }

    /** Confidence {@code 1 - δ} in (0, 1) (required; the spec's default is 0.99). */
    public Builder setConfidence(double confidence) {
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
      }
      this.confidence = confidence;
      return this;
    }

    /** Bound propagation method (default {@link BoundMethod#SYMBOLIC}). */
    public Builder optMethod(BoundMethod method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** Which dimension to bisect (default {@link SplitRule#WIDEST}, as the spec). */
    public Builder optSplitRule(SplitRule rule) {
      this.splitRule = Objects.requireNonNull(rule, "splitRule");
      return this;
    }

    /** Deepest split level (default 10, as the spec; 0 = no splitting). */
    public Builder optMaxDepth(int maxDepth) {
      if (maxDepth < 0) {
        throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
      }
      this.maxDepth = maxDepth;
      return this;
    }

    /** Most boxes evaluated in one call, the root included (default 256). */
    public Builder optMaxBoxes(int maxBoxes) {
      if (maxBoxes < 1) {
        throw new IllegalArgumentException("maxBoxes must be >= 1, got " + maxBoxes);
      }
      this.maxBoxes = maxBoxes;
      return this;
    }

    /**
     * Builds the certifier.
     *
     * @throws IllegalStateException if epsilon or confidence was not set
     */
    public SimCert build() {
      if (Double.isNaN(epsilon)) {
        throw new IllegalStateException("SimCert needs setEpsilon(...)");
      }
      if (Double.isNaN(confidence)) {
        throw new IllegalStateException("SimCert needs setConfidence(...)");
      }
      return new SimCert(this);
    }
  }
}
