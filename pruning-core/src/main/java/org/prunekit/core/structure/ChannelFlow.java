package org.prunekit.core.structure;

import static org.prunekit.core.structure.GroupMember.Direction.IN;
import static org.prunekit.core.structure.GroupMember.Direction.OUT;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
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
 * Follows every tensor's channel axis through the graph in topological order and applies the
 * coupling rule of each op (see the package documentation), filling a {@link CouplingState}.
 *
 * <p>A tensor is either <em>tracked</em> (a {@link Chan}: its channel axis and, per position along
 * it, the atom it belongs to) or <em>opaque</em> (a graph input, or the output of an op the rules
 * cannot follow), in which case a reader that needs its channels gets fixed, blocked atoms.
 */
final class ChannelFlow {
  /** A tracked channel axis: position {@code p} along {@code axis} belongs to {@code atoms[p]}. */
  record Chan(int axis, int[] atoms) {}

  private final Graph graph;
  private final CouplingState st;
  private final Map<String, Shape> shapes;
  private final Map<String, Chan> chans = new HashMap<>();
  private final Map<String, CouplingState.Mark> opaque = new HashMap<>();
  private final Map<String, Chan> fixed = new HashMap<>();

  ChannelFlow(Graph graph, CouplingState st) {
    this.graph = graph;
    this.st = st;
    this.shapes = graph.inferShapes(1);
  }

  void run() {
    for (InputSpec in : graph.inputs()) {
      opaque.put(in.name(), new CouplingState.Mark(in.name(), "graph input: its channels are fixed"));
    }
    for (Node n : graph.nodes()) {
      apply(n);
    }
    for (String o : graph.outputs()) {
      Chan c = chans.get(o);
      if (c != null) {
        st.mark(c.atoms(), new CouplingState.Mark(o, "graph output: its channels must stay"));
      }
    }
  }

  private void apply(Node n) {
    Op op = n.op();
    String name = n.name();
    String x = n.inputs().get(0);
    if (op instanceof Linear l) {
      st.member(p(n, "weight"), 1, IN, chanOf(x, -1, name).atoms());
      producer(n, l.bias(), -1, name + " output features", l.outFeatures());
    } else if (op instanceof Conv c) {
      conv(n, c, x);
    } else if (op instanceof BatchNorm) {
      Chan in = chanOf(x, 1, name);
      for (String param : List.of("gamma", "beta", "running_mean", "running_var")) {
        st.member(p(n, param), 0, OUT, in.atoms());
      }
      chans.put(name, in);
    } else if (op instanceof LayerNorm ln) {
      Chan in = chanOf(x, -1, name);
      if (ln.affine()) {
        st.member(p(n, "gamma"), 0, OUT, in.atoms());
        st.member(p(n, "beta"), 0, OUT, in.atoms());
      }
      st.note(in.atoms(), "layernorm '" + name + "' normalises over these channels: removing some changes its mean"
          + " and variance, so outputs are not preserved exactly");
      chans.put(name, in);
    } else if (op instanceof RmsNorm) {
      Chan in = chanOf(x, -1, name);
      st.member(p(n, "gamma"), 0, OUT, in.atoms());
      st.note(in.atoms(), "rmsnorm '" + name + "' normalises over these channels: removing some changes its root"
          + " mean square, so outputs are not preserved exactly");
      chans.put(name, in);
    } else if (op instanceof Embedding e) {
      int[] s = st.newSource(name, name + " embedding dims", e.dim());
      st.member(p(n, "weight"), 1, OUT, s);
      chans.put(name, new Chan(shapes.get(name).rank() - 1, s));
    } else if (op instanceof Attention a) {
      attention(n, a, x);
    } else if (op instanceof Activation a) {
      activation(n, a, x);
    } else if (op instanceof Pool || op instanceof GlobalPool) {
      if (chans.containsKey(x)) {
        chans.put(name, chanOf(x, 1, name));
      } else {
        opaque.put(name, opaque.get(x));
      }
    } else if (op instanceof Flatten f) {
      flatten(name, x, f.startDim());
    } else if (op instanceof Reshape) {
      reshape(name, x);
    } else if (op instanceof Add || op instanceof Mul) {
      unite(name, n.inputs(), -1);
    } else if (op instanceof Concat c) {
      concat(name, n.inputs(), c.axis());
    } else if (op instanceof Dropout || op instanceof Identity || op instanceof Lif || op instanceof TimeMean) {
      passThrough(name, x); // element-wise over features; time only moves along the batch axis
    } else if (op instanceof TimeEncode e) {
      timeEncode(name, x, e);
    } else {
      CouplingState.Mark m = new CouplingState.Mark(name, "no coupling rule for op type '" + op.type() + "'");
      for (String in : n.inputs()) {
        Chan c = chans.get(in);
        if (c != null) {
          st.mark(c.atoms(), m);
        }
      }
      opaque.put(name, m);
    }
  }

  private void conv(Node n, Conv c, String x) {
    String name = n.name();
    Chan in = chanOf(x, 1, name);
    if (c.groups() == 1) {
      st.member(p(n, "weight"), 1, IN, in.atoms());
      producer(n, c.bias(), 1, name + " output channels", c.outChannels());
    } else if (c.isDepthwise()) {
      int mult = c.outChannels() / c.inChannels();
      int[] out = new int[c.outChannels()];
      for (int j = 0; j < out.length; j++) {
        out[j] = in.atoms()[j / mult];
      }
      st.member(p(n, "weight"), 0, OUT, out);
      if (c.bias()) {
        st.member(p(n, "bias"), 0, OUT, out);
      }
      chans.put(name, new Chan(1, out));
    } else {
      CouplingState.Mark m = new CouplingState.Mark(name, "grouped convolution with " + c.groups()
          + " groups (not depthwise): removing channels would unbalance its groups");
      st.mark(in.atoms(), m);
      producer(n, c.bias(), 1, name + " output channels", c.outChannels());
      st.mark(chans.get(name).atoms(), m);
    }
  }

  /** A layer's own output units: weight rows (and bias) start a new source on {@code axis}. */
  private void producer(Node n, boolean bias, int axis, String description, int size) {
    int[] s = st.newSource(n.name(), description, size);
    st.member(p(n, "weight"), 0, OUT, s);
    if (bias) {
      st.member(p(n, "bias"), 0, OUT, s);
    }
    int rank = shapes.get(n.name()).rank();
    chans.put(n.name(), new Chan(axis < 0 ? rank + axis : axis, s));
  }

  private void attention(Node n, Attention a, String x) {
    String name = n.name();
    Chan in = chanOf(x, -1, name);
    for (String w : List.of("q_weight", "k_weight", "v_weight")) {
      st.member(p(n, w), 1, IN, in.atoms());
    }
    String what = a.numKvHeads() == a.numHeads() ? " heads" : " kv heads (each with its " + a.groupSize()
        + " query heads)";
    int[] heads = st.newSource(name, name + what, a.numKvHeads());
    int hd = a.headDim();
    int[] q = new int[a.numHeads() * hd];
    for (int r = 0; r < q.length; r++) {
      q[r] = heads[(r / hd) / a.groupSize()];
    }
    int[] kv = new int[a.numKvHeads() * hd];
    for (int r = 0; r < kv.length; r++) {
      kv[r] = heads[r / hd];
    }
    st.member(p(n, "q_weight"), 0, OUT, q);
    st.member(p(n, "k_weight"), 0, OUT, kv);
    st.member(p(n, "v_weight"), 0, OUT, kv);
    if (a.bias()) {
      st.member(p(n, "q_bias"), 0, OUT, q);
      st.member(p(n, "k_bias"), 0, OUT, kv);
      st.member(p(n, "v_bias"), 0, OUT, kv);
    }
    st.member(p(n, "o_weight"), 1, IN, q);
    // one modelDim for input and output: output dim i is the same unit as input dim i (a residual
    // stream unites them anyway), so the op keeps equal sizes
    int[] out = in.atoms();
    st.member(p(n, "o_weight"), 0, OUT, out);
    if (a.bias()) {
      st.member(p(n, "o_bias"), 0, OUT, out);
    }
    chans.put(name, new Chan(shapes.get(name).rank() - 1, out));
  }

  private void activation(Node n, Activation a, String x) {
    Chan c = chans.get(x);
    if (c != null && a.kind() == Activation.Kind.SOFTMAX) {
      int rank = shapes.get(x).rank();
      int axis = a.axis() < 0 ? rank + a.axis() : a.axis();
      if (axis == c.axis()) {
        st.mark(c.atoms(), new CouplingState.Mark(n.name(), "softmax over the channel axis mixes all channels"));
      }
    }
    passThrough(n.name(), x);
  }

  private void flatten(String name, String x, int start) {
    Chan c = chans.get(x);
    if (c == null) {
      opaque.put(name, opaque.get(x));
      return;
    }
    if (c.axis() < start) {
      chans.put(name, c);
      return;
    }
    Shape s = shapes.get(x);
    int size = Math.toIntExact(s.sizeFrom(start));
    long inner = s.sizeFrom(c.axis() + 1);
    int channels = s.get(c.axis());
    int[] out = new int[size];
    for (int q = 0; q < size; q++) {
      out[q] = c.atoms()[(int) ((q / inner) % channels)];
    }
    chans.put(name, new Chan(start, out));
  }

  private void reshape(String name, String x) {
    Chan c = chans.get(x);
    if (c == null) {
      opaque.put(name, opaque.get(x));
      return;
    }
    Shape s = shapes.get(x);
    Shape t = shapes.get(name);
    if (t.rank() == 2) {
      flatten(name, x, 1);
      return;
    }
    boolean keeps = c.axis() < t.rank();
    for (int i = 0; keeps && i <= c.axis(); i++) {
      keeps = s.get(i) == t.get(i);
    }
    if (keeps) {
      chans.put(name, c);
      return;
    }
    CouplingState.Mark m = new CouplingState.Mark(name, "ambiguous reshape from " + s.dropFirst() + " to "
        + t.dropFirst() + ": it splits or merges channel axis " + c.axis() + " of '" + x + "'");
    st.mark(c.atoms(), m);
    opaque.put(name, m);
  }

  /** Element-wise ops (and concat off the channel axis): position i of every input is one unit. */
  private void unite(String name, List<String> inputs, int forcedAxis) {
    int axis = forcedAxis;
    for (String in : inputs) {
      if (axis < 0 && chans.containsKey(in)) {
        axis = chans.get(in).axis();
      }
    }
    if (axis < 0) {
      opaque.put(name, opaque.get(inputs.get(0)));
      return;
    }
    Chan first = chanOf(inputs.get(0), axis, name);
    for (String in : inputs.subList(1, inputs.size())) {
      Chan c = chanOf(in, axis, name);
      for (int i = 0; i < first.atoms().length; i++) {
        st.union(first.atoms()[i], c.atoms()[i]);
      }
    }
    chans.put(name, first);
  }

  private void concat(String name, List<String> inputs, int axis) {
    Set<Integer> axes = new LinkedHashSet<>();
    for (String in : inputs) {
      if (chans.containsKey(in)) {
        axes.add(chans.get(in).axis());
      }
    }
    if (axes.isEmpty()) {
      opaque.put(name, opaque.get(inputs.get(0)));
    } else if (axes.size() > 1) {
      CouplingState.Mark m = new CouplingState.Mark(name, "concat of inputs whose channels lie on different axes "
          + axes);
      for (String in : inputs) {
        if (chans.containsKey(in)) {
          st.mark(chans.get(in).atoms(), m);
        }
      }
      opaque.put(name, m);
    } else if (axes.contains(axis)) {
      int total = shapes.get(name).get(axis);
      int[] out = new int[total];
      int off = 0;
      for (String in : inputs) {
        int[] a = chanOf(in, axis, name).atoms();
        System.arraycopy(a, 0, out, off, a.length);
        off += a.length;
      }
      chans.put(name, new Chan(axis, out));
    } else {
      unite(name, inputs, axes.iterator().next());
    }
  }

  /** REPEAT keeps every feature axis; UNFOLD removes the time axis 1, shifting later axes down. */
  private void timeEncode(String name, String x, TimeEncode e) {
    Chan c = chans.get(x);
    if (e.mode() == TimeEncode.Mode.REPEAT || c == null) {
      passThrough(name, x);
    } else if (c.axis() >= 2) {
      chans.put(name, new Chan(c.axis() - 1, c.atoms()));
    } else {
      CouplingState.Mark m = new CouplingState.Mark(name, "timeencode UNFOLD reads axis 1 as time");
      st.mark(c.atoms(), m);
      opaque.put(name, m);
    }
  }

  private void passThrough(String name, String x) {
    Chan c = chans.get(x);
    if (c != null) {
      chans.put(name, c);
    } else {
      opaque.put(name, opaque.get(x));
    }
  }

  /**
   * The channels of {@code tensor} along {@code axis} as read by node {@code reader}. An opaque
   * tensor, or a tracked one whose channels lie on another axis, yields fixed, blocked atoms.
   */
  private Chan chanOf(String tensor, int axis, String reader) {
    int rank = shapes.get(tensor).rank();
    int ax = axis < 0 ? rank + axis : axis;
    Chan c = chans.get(tensor);
    if (c != null && c.axis() == ax) {
      return c;
    }
    String key = tensor + "#" + ax;
    Chan f = fixed.get(key);
    if (f != null) {
      return f;
    }
    CouplingState.Mark why;
    if (c != null) {
      why = new CouplingState.Mark(reader, "reads axis " + ax + " of '" + tensor + "', whose channels lie on axis "
          + c.axis());
      st.mark(c.atoms(), why);
    } else {
      why = opaque.get(tensor);
    }
    int[] atoms = st.newSource(tensor, tensor + " channels on axis " + ax + " (fixed)", shapes.get(tensor).get(ax));
    st.mark(atoms, why);
    f = new Chan(ax, atoms);
    fixed.put(key, f);
    return f;
  }

  private static String p(Node n, String local) {
    return n.name() + "." + local;
  }
}
