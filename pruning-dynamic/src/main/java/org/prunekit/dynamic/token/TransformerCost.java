package org.prunekit.dynamic.token;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostReport;
import org.prunekit.core.cost.NodeCost;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;

/**
 * Exact work of a {@link TransformerModel} run whose blocks see different sequence lengths, from
 * core's {@link CostModel} (its per-op rules: linear {@code tokens*in*out}, attention projections
 * plus {@code 2*batch*heads*seq^2*headDim}, norms and adds as element operations; bytes as every
 * input, parameter and output touched once). Reports are computed per (batch, sequence length)
 * by shape inference with the encoder inputs' token axis (axis 1 of every input) set to that
 * length, and cached.
 */
public final class TransformerCost {
  /** MACs and bytes of some executed nodes. */
  public record Work(long macs, long bytes) {
    /** Validates both are non-negative. */
    public Work {
      if (macs < 0 || bytes < 0) {
        throw new IllegalArgumentException("work must be >= 0, got macs=" + macs + " bytes=" + bytes);
      }
    }

    /** Sum of two works. */
    public Work plus(Work o) {
      return new Work(Math.addExact(macs, o.macs), Math.addExact(bytes, o.bytes));
    }
  }

  private final TransformerModel model;
  private final TransformerLayout layout;
  private final Map<Long, CostReport> reports = new HashMap<>();
  private final Map<Integer, Work> heads = new HashMap<>();

  /** Cost tables for {@code layout}'s model. */
  public TransformerCost(TransformerModel model, TransformerLayout layout) {
    this.model = Objects.requireNonNull(model, "model");
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /** The encoder report with every input's token axis at {@code seq}. */
  public CostReport report(int batch, int seq) {
    return reports.computeIfAbsent(((long) batch << 32) | seq, k -> {
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (InputSpec s : model.encoder().inputs()) {
        shapes.put(s.name(), s.sampleShape().with(0, seq).withBatch(batch));
      }
      return CostModel.of(model.encoder(), shapes);
    });
  }

  /** Work of the prefix at the full input length. */
  public Work prefix(int batch, int seq) {
    return sum(layout.prefix(), report(batch, seq));
  }

  /** Work of block {@code i} on a sequence of {@code seq} tokens. */
  public Work block(int i, int batch, int seq) {
    return sum(layout.block(i), report(batch, seq));
  }

  /**
   * Work of the tail at {@code seq} tokens, the readout (the class token gathered, or the mean over
   * tokens as element operations without MACs) and the head.
   */
  public Work finish(int batch, int seq) {
    Work w = sum(layout.tail(), report(batch, seq));
    long dim = report(batch, seq).node(layout.block(0).get(layout.block(0).size() - 1).name()).outputShape().get(2);
    long readElems = model.readout() == TransformerModel.Readout.CLS ? batch * dim : (long) batch * seq * dim;
    w = w.plus(new Work(0, CostModel.BYTES_PER_ELEMENT * (readElems + batch * dim)));
    if (model.head() != null) {
      w = w.plus(heads.computeIfAbsent(batch, b -> {
        CostReport r = CostModel.of(model.head(), b);
        return new Work(r.total().macs(), r.total().bytesAccessed());
      }));
    }
    return w;
  }

  private static Work sum(List<Node> nodes, CostReport r) {
    long macs = 0;
    long bytes = 0;
    for (Node n : nodes) {
      NodeCost c = r.node(n.name());
      macs = Math.addExact(macs, c.macs());
      bytes = Math.addExact(bytes, c.bytesAccessed());
    }
    return new Work(macs, bytes);
  }
}
