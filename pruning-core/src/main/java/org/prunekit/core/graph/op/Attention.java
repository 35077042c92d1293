package org.prunekit.core.graph.op;

import java.util.ArrayList;
import java.util.List;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/**
 * Multi-head self-attention over {@code [batch, seq, modelDim]} with separate q/k/v/o
 * projections, optional causal masking, rotary position embedding and grouped-query attention.
 *
 * <p>Parameters (PyTorch layout {@code [out, in]}): {@code q_weight [heads*headDim, modelDim]},
 * {@code k_weight} and {@code v_weight [kvHeads*headDim, modelDim]}, {@code o_weight [modelDim,
 * heads*headDim]}, and with {@code bias} the matching {@code q_bias}, {@code k_bias}, {@code
 * v_bias}, {@code o_bias}. Query head {@code h} reads kv head {@code h / (heads / kvHeads)}.
 *
 * @param ropeTheta base of the rotary embedding (e.g. 10000); 0 disables RoPE. Rotation pairs
 *     dimensions {@code (2i, 2i+1)} of each head (the llama2.c / Meta convention).
 */
public record Attention(
    int modelDim, int numHeads, int numKvHeads, int headDim, boolean causal, float ropeTheta, boolean bias)
    implements Op {

  /** Validates the head geometry. */
  public Attention {
    ShapeChecks.positive("attention sizes", modelDim, numHeads, numKvHeads, headDim);
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "attention: kv heads " + numKvHeads + " must divide query heads " + numHeads);
    }
    if (ropeTheta < 0f || (ropeTheta > 0f && headDim % 2 != 0)) {
      throw new IllegalArgumentException("attention: RoPE needs an even head dim and theta >= 0");
    }
  }

  /** Query heads per kv head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  @Override
  public String type() {
    return "attention";
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    int q = numHeads * headDim;
    int kv = numKvHeads * headDim;
    List<ParamSpec> p = new ArrayList<>();
    p.add(new ParamSpec("q_weight", ParamRole.WEIGHT, new Shape(q, modelDim), "OI"));
    p.add(new ParamSpec("k_weight", ParamRole.WEIGHT, new Shape(kv, modelDim), "OI"));
    p.add(new ParamSpec("v_weight", ParamRole.WEIGHT, new Shape(kv, modelDim), "OI"));
    p.add(new ParamSpec("o_weight", ParamRole.WEIGHT, new Shape(modelDim, q), "OI"));
    if (bias) {
      p.add(new ParamSpec("q_bias", ParamRole.BIAS, new Shape(q), "O"));
      p.add(new ParamSpec("k_bias", ParamRole.BIAS, new Shape(kv), "O"));
      p.add(new ParamSpec("v_bias", ParamRole.BIAS, new Shape(kv), "O"));
      p.add(new ParamSpec("o_bias", ParamRole.BIAS, new Shape(modelDim), "O"));
    }
    return p;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() == 3, node, in, "attention needs [batch, seq, modelDim]");
    ShapeChecks.require(x.get(2) == modelDim, node, in, "attention expects modelDim " + modelDim + ", got " + x.get(2));
    return x;
  }
}
