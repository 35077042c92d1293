package org.prunekit.core.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;

/**
 * Identifies what a DJL {@link LambdaBlock} computes, for the lambdas DJL's own factories create
 * ({@code Activation.reluBlock()}, {@code Blocks.batchFlattenBlock()}, {@code
 * Pool.maxPool2dBlock(...)}, ...). A lambda is accepted only when both its block name and the
 * class that created the function (seen through the JVM's lambda class name) match a factory, and
 * pooling geometry is read from the values the lambda captured. Anything else is refused.
 */
final class LambdaInspector {
  private LambdaInspector() {}

  /** The op a lambda block computes; {@link Identity} for DJL's identity block. */
  static Op identify(LambdaBlock block, String path) {
    String name = block.getName();
    Object fn = read(LambdaBlock.class, block, "lambda", path);
    Object inner = unwrapSingleton(fn, path);
    String origin = origin(inner);
    List<Object> captured = captured(inner, path);
    Op op = switch (origin) {
      case "ai.djl.nn.Activation" -> activation(name, captured);
      case "ai.djl.nn.Blocks" -> switch (name) {
        case "batchFlatten" -> new Flatten(1);
        case "identity" -> new Identity();
        default -> null;
      };
      case "ai.djl.nn.pooling.Pool" -> pool(name, captured, path);
      default -> null;
    };
    if (op == null) {
      throw new UnsupportedBlockException(path, "LambdaBlock '" + name + "' (function " + fn.getClass().getName()
          + ") cannot be identified; supported: DJL's Activation relu/gelu/sigmoid/tanh/swish(1) blocks,"
          + " Blocks.batchFlattenBlock/identityBlock, Pool max/avg/global blocks");
    }
    return op;
  }

  private static Op activation(String name, List<Object> captured) {
    return switch (name) {
      case "ReLU" -> Activation.of(Activation.Kind.RELU);
      case "GELU" -> Activation.of(Activation.Kind.GELU);
      case "sigmoid" -> Activation.of(Activation.Kind.SIGMOID);
      case "Tanh" -> Activation.of(Activation.Kind.TANH);
      case "Swish" -> captured.size() == 1 && Float.valueOf(1f).equals(captured.get(0))
          ? Activation.of(Activation.Kind.SILU) : null;
      default -> null;
    };
  }

  private static Op pool(String name, List<Object> c, String path) {
    if (name.matches("global(Max|Avg)Pool[123]d")) {
      return new GlobalPool(name.startsWith("globalMax") ? Pool.Kind.MAX : Pool.Kind.AVG, false);
    }
    boolean max = name.matches("maxPool[123]d");
    boolean avg = name.matches("avgPool[123]d");
    if (!max && !avg) {
      return null;
    }
    int dims = name.charAt(name.length() - 2) - '0';
    if (c.size() != (max ? 4 : 5) || !(c.get(0) instanceof Shape k) || !(c.get(1) instanceof Shape s)
        || !(c.get(2) instanceof Shape p) || !(c.get(3) instanceof Boolean ceil)) {
      throw new UnsupportedBlockException(path, "cannot read the geometry of pooling lambda '" + name + "': " + c);
    }
    if (ceil) {
      throw new UnsupportedBlockException(path, name + " with ceilMode=true has no PruneKit equivalent");
    }
    boolean countPad = avg && Boolean.TRUE.equals(c.get(4));
    int[] pad = ints(p, dims, path);
    return new Pool(max ? Pool.Kind.MAX : Pool.Kind.AVG, dims, ints(k, dims, path), ints(s, dims, path),
        new Padding(Padding.Mode.EXPLICIT, pad, pad), countPad);
  }

  static int[] ints(Shape s, int dims, String path) {
    if (s.dimension() != dims) {
      throw new UnsupportedBlockException(path, "expected " + dims + " values, got " + s);
    }
    return Arrays.stream(s.getShape()).mapToInt(Math::toIntExact).toArray();
  }

  /** {@code LambdaBlock.singleton(f, name)} wraps {@code f}; see through that wrapper. */
  private static Object unwrapSingleton(Object fn, String path) {
    if (!origin(fn).equals("ai.djl.nn.LambdaBlock")) {
      return fn;
    }
    List<Object> c = captured(fn, path);
    return c.size() == 1 && c.get(0) instanceof Function<?, ?> ? c.get(0) : fn;
  }

  /** The class that created a lambda ({@code ai.djl.nn.Activation} for {@code Activation$$Lambda$5/0x..}). */
  private static String origin(Object fn) {
    String n = fn.getClass().getName();
    int i = n.indexOf("$$Lambda");
    return i < 0 ? "" : n.substring(0, i);
  }

  /** The values a lambda captured, in capture order ({@code arg$1, arg$2, ...}). */
  private static List<Object> captured(Object fn, String path) {
    List<Field> fields = new ArrayList<>(Arrays.asList(fn.getClass().getDeclaredFields()));
    fields.removeIf(f -> !f.getName().startsWith("arg$"));
    fields.sort(Comparator.comparingInt(f -> Integer.parseInt(f.getName().substring(4))));
    List<Object> v = new ArrayList<>();
    for (Field f : fields) {
      v.add(read(f, fn, path));
    }
    return v;
  }

  static Object read(Class<?> owner, Object target, String field, String path) {
    try {
      return read(owner.getDeclaredField(field), target, path);
    } catch (NoSuchFieldException e) {
      throw new UnsupportedBlockException(path, owner.getSimpleName() + " has no field '" + field
          + "' in this DJL version; cannot inspect it");
    }
  }

  private static Object read(Field f, Object target, String path) {
    try {
      f.setAccessible(true);
      return f.get(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new UnsupportedBlockException(path, "cannot read " + f.getDeclaringClass().getSimpleName() + "."
          + f.getName() + " (" + e.getMessage() + ")");
    }
  }
}
