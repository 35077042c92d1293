package org.prunekit.core.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;

/**
 * Which stored tensor fills which graph parameter, and how its layout is converted.
 *
 * <pre>{@code
 * WeightMapping m = WeightMapping.builder()
 *     .map("conv1.weight", "conv2d.kernel", LayoutConversion.KERAS_CONV_TO_OIHW)
 *     .map("conv1.bias", "conv2d.bias")
 *     .build();
 * }</pre>
 *
 * @param entries one entry per graph parameter, in the order given
 */
public record WeightMapping(List<Entry> entries) {
  /**
   * One assignment.
   *
   * @param parameter the graph parameter's qualified name ({@code node.param})
   * @param source the tensor's name in the source
   * @param conversion how the stored layout becomes the parameter's
   */
  public record Entry(String parameter, String source, LayoutConversion conversion) {
    /** Validates the fields. */
    public Entry {
      Objects.requireNonNull(parameter, "parameter");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(conversion, "conversion");
    }
  }

  /** Validates that no parameter is mapped twice. */
  public WeightMapping {
    entries = List.copyOf(entries);
    Set<String> seen = new HashSet<>();
    for (Entry e : entries) {
      if (!seen.add(e.parameter())) {
        throw new IllegalArgumentException("parameter '" + e.parameter() + "' is mapped more than once");
      }
    }
  }

  /** A mapping of every parameter of {@code graph} to a tensor of the same qualified name, unconverted. */
  public static WeightMapping identity(Graph graph) {
    Builder b = builder();
    for (Parameter p : graph.parameters()) {
      b.map(p.qualifiedName(), p.qualifiedName());
    }
    return b.build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects entries. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    private Builder() {}

    /** Maps {@code parameter} to {@code source} without conversion. */
    public Builder map(String parameter, String source) {
      return map(parameter, source, LayoutConversion.IDENTITY);
    }

    /** Maps {@code parameter} to {@code source} with a layout conversion. */
    public Builder map(String parameter, String source, LayoutConversion conversion) {
      entries.add(new Entry(parameter, source, conversion));
      return this;
    }

    /** The mapping. */
    public WeightMapping build() {
      return new WeightMapping(entries);
    }
  }
}
