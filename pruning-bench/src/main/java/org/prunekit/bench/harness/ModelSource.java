package org.prunekit.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.prunekit.bench.SmallCnn;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.SavedModel;
import org.prunekit.core.io.onnx.OnnxImporter;
import org.prunekit.core.zoo.LeNetConfig;
import org.prunekit.core.zoo.ModelZoo;

/** Resolves a sweep's model references: a file ({@code .onnx} or PruneKit format) or a built-in name. */
public final class ModelSource {
  /**
   * Built-in (untrained, seeded) models: {@code demo-cnn} (the demo's small CNN), {@code lenet},
   * and {@code mlp} ({@code 784-1024-1024-10} on 28x28 images: only Linear layers, so the {@code
   * sparse} engine can run it whole).
   */
  public static final List<String> BUILT_IN = List.of("demo-cnn", "lenet", "mlp");

  /** Hidden width of the built-in {@code mlp}. */
  public static final int MLP_HIDDEN = 1024;

  private ModelSource() {}

  /**
   * A loaded model.
   *
   * @param name the name used in reports (file name or built-in name)
   * @param graph the graph, freshly loaded (callers may mutate it)
   * @param inputScale factor applied to raw IDX pixels before they reach the model (from the
   *     model's recorded {@code input.scale}, else 1)
   */
  public record Loaded(String name, Graph graph, float inputScale) {}

  /**
   * Loads {@code ref}: a built-in name, or a path to an existing model file.
   *
   * @throws IllegalArgumentException if it is neither
   * @throws IOException if the file cannot be read or parsed
   */
  public static Loaded load(String ref, long seed) throws IOException {
    String key = ref.trim().toLowerCase(Locale.ROOT);
    if (key.equals("demo-cnn")) {
      return new Loaded("demo-cnn", SmallCnn.build(seed), 1f);
    }
    if (key.equals("lenet")) {
      return new Loaded("lenet", ModelZoo.leNet(LeNetConfig.classic(seed)), 1f);
    }
    if (key.equals("mlp")) {
      Graph g = GraphBuilder.create(seed).input("image", 1, 28, 28).flatten()
          .linear("fc1", MLP_HIDDEN).relu().linear("fc2", MLP_HIDDEN).relu().linear("fc3", 10).build();
      return new Loaded("mlp", g, 1f);
    }
    Path file = Path.of(ref);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("model '" + ref + "' is neither a file nor a built-in model " + BUILT_IN);
    }
    String name = file.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      return new Loaded(name, OnnxImporter.load(file), 1f);
    }
    SavedModel m = ModelFormat.load(file);
    String s = m.provenance().settings().get("input.scale");
    return new Loaded(name, m.graph(), s == null ? 1f : Float.parseFloat(s));
  }
}
