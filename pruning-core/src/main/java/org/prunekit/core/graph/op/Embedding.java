package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/**
 * A lookup table {@code [vocab, dim]}: integer token ids {@code [batch, seq]} (carried as floats
 * holding whole numbers) become {@code [batch, seq, dim]}.
 */
public record Embedding(int vocabSize, int dim) implements Op {
  /** Validates the sizes. */
  public Embedding {
    ShapeChecks.positive("embedding sizes", vocabSize, dim);
  }

  @Override
  public String type() {
    return "embedding";
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    return List.of(new ParamSpec("weight", ParamRole.EMBEDDING, new Shape(vocabSize, dim), "VC"));
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() == 2, node, in, "embedding needs token ids [batch, seq]");
    return new Shape(x.get(0), x.get(1), dim);
  }
}
