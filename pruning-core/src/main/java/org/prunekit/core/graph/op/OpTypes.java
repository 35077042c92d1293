package org.prunekit.core.graph.op;

import java.util.Map;

/** The registry of op type names (as written in the JSON architecture) to their record classes. */
public final class OpTypes {
  private static final Map<String, Class<? extends Op>> TYPES =
      Map.ofEntries(
          Map.entry("linear", Linear.class),
          Map.entry("conv", Conv.class),
          Map.entry("batchnorm", BatchNorm.class),
          Map.entry("layernorm", LayerNorm.class),
          Map.entry("rmsnorm", RmsNorm.class),
          Map.entry("embedding", Embedding.class),
          Map.entry("attention", Attention.class),
          Map.entry("activation", Activation.class),
          Map.entry("pool", Pool.class),
          Map.entry("globalpool", GlobalPool.class),
          Map.entry("flatten", Flatten.class),
          Map.entry("reshape", Reshape.class),
          Map.entry("add", Add.class),
          Map.entry("mul", Mul.class),
          Map.entry("concat", Concat.class),
          Map.entry("dropout", Dropout.class),
          Map.entry("identity", Identity.class),
          Map.entry("lif", Lif.class),
          Map.entry("timeencode", TimeEncode.class),
          Map.entry("timemean", TimeMean.class));

  private OpTypes() {}

  /**
   * The record class for a type name.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Class<? extends Op> classOf(String type) {
    Class<? extends Op> c = TYPES.get(type);
    if (c == null) {
      throw new IllegalArgumentException("unknown op type '" + type + "'; known: " + TYPES.keySet());
    }
    return c;
  }
}
