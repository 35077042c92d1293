package org.prunekit.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads stored tensors into a graph's parameters by a {@link WeightMapping}, all or nothing.
 *
 * <p>First every entry is validated: the parameter exists, the source tensor exists, and the
 * converted shape equals the parameter's shape. All problems are reported together in one {@link
 * IllegalArgumentException} naming the parameter, the source tensor and both shapes. Then every
 * tensor is read and converted; only when all of them are in memory are the parameters assigned.
 * On any error the graph is unchanged. Masks already attached to parameters are kept.
 */
public final class WeightLoader {
  private static final Logger LOG = LoggerFactory.getLogger(WeightLoader.class);

  /**
   * What a load did.
   *
   * @param assigned the qualified names of the parameters assigned, in mapping order
   * @param unmappedParameters graph parameters the mapping did not mention (kept as they were)
   * @param unusedSourceTensors source tensors no entry read
   */
  public record Report(List<String> assigned, List<String> unmappedParameters, List<String> unusedSourceTensors) {
    /** Freezes the lists. */
    public Report {
      assigned = List.copyOf(assigned);
      unmappedParameters = List.copyOf(unmappedParameters);
      unusedSourceTensors = List.copyOf(unusedSourceTensors);
    }
  }

  private WeightLoader() {}

  /**
   * Loads the mapped parameters; parameters the mapping omits keep their values.
   *
   * @throws IllegalArgumentException listing every missing name or shape mismatch (graph unchanged)
   * @throws IOException if a tensor cannot be read (graph unchanged)
   */
  public static Report load(Graph graph, TensorSource source, WeightMapping mapping) throws IOException {
    return load(graph, source, mapping, false);
  }

  /**
   * Loads the mapped parameters and requires that every parameter of the graph is mapped.
   *
   * @throws IllegalArgumentException if a parameter is unmapped, or as {@link #load}
   * @throws IOException if a tensor cannot be read (graph unchanged)
   */
  public static Report loadComplete(Graph graph, TensorSource source, WeightMapping mapping) throws IOException {
    return load(graph, source, mapping, true);
  }

  private static Report load(Graph graph, TensorSource source, WeightMapping mapping, boolean complete)
      throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, Parameter> all = new LinkedHashMap<>();
    for (Parameter p : graph.parameters()) {
      all.put(p.qualifiedName(), p);
    }
    Set<String> mapped = new HashSet<>();
    for (WeightMapping.Entry e : mapping.entries()) {
      mapped.add(e.parameter());
      Parameter p = all.get(e.parameter());
      if (p == null) {
        problems.add("graph has no parameter '" + e.parameter() + "' (mapped from '" + e.source() + "')");
        continue;
      }
      if (!source.contains(e.source())) {
        problems.add("source has no tensor '" + e.source() + "' for parameter '" + e.parameter() + "' " + p.shape());
        continue;
      }
      Shape stored = source.shape(e.source());
      Shape converted;
      try {
        converted = e.conversion().convertShape(stored);
      } catch (IllegalArgumentException ex) {
        problems.add("tensor '" + e.source() + "' " + stored + " cannot fill parameter '" + e.parameter() + "' "
            + p.shape() + ": " + ex.getMessage());
        continue;
      }
      if (!converted.equals(p.shape())) {
        problems.add("tensor '" + e.source() + "' " + stored
            + (e.conversion() == LayoutConversion.IDENTITY ? "" : " (" + e.conversion() + " -> " + converted + ")")
            + " does not fit parameter '" + e.parameter() + "' " + p.shape());
      }
    }
    List<String> unmapped = new ArrayList<>();
    for (String q : all.keySet()) {
      if (!mapped.contains(q)) {
        unmapped.add(q);
      }
    }
    if (complete && !unmapped.isEmpty()) {
      problems.add("parameters not mapped: " + unmapped);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("cannot load weights (graph unchanged): " + String.join("; ", problems));
    }
    Map<Parameter, Tensor> values = new LinkedHashMap<>();
    Set<String> used = new LinkedHashSet<>();
    for (WeightMapping.Entry e : mapping.entries()) {
      Tensor t = e.conversion().apply(source.read(e.source()));
      int bad = t.firstNonFinite();
      if (bad >= 0) {
        LOG.warn("tensor '{}' for '{}' holds a non-finite value at index {}", e.source(), e.parameter(), bad);
      }
      values.put(all.get(e.parameter()), t);
      used.add(e.source());
    }
    List<String> assigned = new ArrayList<>();
    values.forEach((p, t) -> {
      p.setValue(t);
      assigned.add(p.qualifiedName());
    });
    List<String> unused = new ArrayList<>();
    for (String n : source.names()) {
      if (!used.contains(n)) {
        unused.add(n);
      }
    }
    LOG.debug("loaded {} parameters; {} unmapped, {} source tensors unused", assigned.size(), unmapped.size(),
        unused.size());
    return new Report(assigned, unmapped, unused);
  }
}
