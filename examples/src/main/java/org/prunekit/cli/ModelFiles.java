package org.prunekit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.io.SavedModel;
import org.prunekit.core.io.onnx.OnnxExporter;
import org.prunekit.core.io.onnx.OnnxImporter;

/** Reads and writes models by file name: {@code .onnx} is ONNX, anything else the PruneKit format. */
final class ModelFiles {
  private ModelFiles() {}

  /** Loads a model; an ONNX file gets a provenance with criterion {@code "none"}. */
  static SavedModel load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("model file not found: " + file);
    }
    if (isOnnx(file)) {
      Graph g = OnnxImporter.load(file);
      return new SavedModel(g, Provenance.builder().setCriterion("none").setSeed(0).optSetting("source", file.getFileName().toString()).build());
    }
    return ModelFormat.load(file);
  }

  /** Saves a model; to ONNX the masks are applied and provenance is not kept. */
  static void save(Graph graph, Provenance provenance, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (isOnnx(file)) {
      OnnxExporter.save(graph, file);
    } else {
      ModelFormat.save(graph, provenance, file);
    }
  }

  static boolean isOnnx(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
  }

  /** The input scale recorded in a model's provenance ({@code input.scale}), or 1 (raw pixels). */
  static float inputScale(Provenance p) {
    String s = p.settings().get("input.scale");
    return s == null ? 1f : Float.parseFloat(s);
  }
}
