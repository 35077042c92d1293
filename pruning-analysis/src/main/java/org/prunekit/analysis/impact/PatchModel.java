package org.prunekit.analysis.impact;

import java.util.Objects;
import java.util.function.Function;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;

/**
 * A classifier graph that reads images as flattened patches {@code [N, tokens, patchDim]}, with a
 * rule that turns a batch of patches into the graph's full input list (e.g. adding the ViT's token
 * positions). The graph's single output is the logits {@code [N, classes]}.
 *
 * <pre>{@code
 * PatchModel m = PatchModel.vit(ModelZoo.vit(config), config);
 * }</pre>
 *
 * @param graph the classifier
 * @param tokens patches per image
 * @param patchDim values per patch
 * @param assembler builds the graph inputs from a patch batch (one tensor per graph input, in
 *     {@link Graph#inputs()} order)
 */
public record PatchModel(Graph graph, int tokens, int patchDim, Function<Tensor, Tensor[]> assembler) {
  /** Validates the sizes and that the graph has one output. */
  public PatchModel {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(assembler, "assembler");
    if (tokens < 1 || patchDim < 1) {
      throw new IllegalArgumentException("patch model: tokens " + tokens + " and patchDim " + patchDim + " must be positive");
    }
    if (graph.outputs().size() != 1) {
      throw new IllegalArgumentException("patch model needs a graph with one output (logits), got " + graph.outputs());
    }
  }

  /** A ViT from {@link ModelZoo#vit}: inputs {@code patches} and {@code positions}. */
  public static PatchModel vit(Graph graph, VitConfig config) {
    Objects.requireNonNull(config, "config");
    return new PatchModel(graph, config.tokens(), config.patchDim(),
        p -> new Tensor[] {p, ModelZoo.positions(p.shape().get(0), config.tokens())});
  }

  /**
   * The graph inputs for a patch batch.
   *
   * @throws IllegalArgumentException if {@code patches} is not {@code [N, tokens, patchDim]}
   */
  public Tensor[] inputs(Tensor patches) {
    Shape s = patches.shape();
    if (s.rank() != 3 || s.get(1) != tokens || s.get(2) != patchDim) {
      throw new IllegalArgumentException("patch model expects patches [N, " + tokens + ", " + patchDim + "], got " + s);
    }
    return assembler.apply(patches);
  }

  /** The same model around another graph (e.g. a pruned copy). */
  public PatchModel withGraph(Graph other) {
    return new PatchModel(other, tokens, patchDim, assembler);
  }
}
