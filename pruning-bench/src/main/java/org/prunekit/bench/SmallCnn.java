package org.prunekit.bench;

import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;

/**
 * The small CNN used by the forward benchmarks: {@code conv16-relu-pool-conv32-relu-pool-flatten-
 * fc128-relu-fc10} on {@code 1x28x28} images (3x3 convolutions with padding 1, 2x2 max pooling).
 *
 * <p>Dense multiply-accumulates per sample: conv1 {@code 16*28*28*9 = 112,896}, conv2 {@code
 * 32*14*14*144 = 903,168}, fc1 {@code 1568*128 = 200,704}, fc2 {@code 128*10 = 1,280}; in total
 * {@link #DENSE_MACS_PER_SAMPLE}.
 */
public final class SmallCnn {
  /** The input name. */
  public static final String INPUT = "image";

  /** Channels, height and width of one input sample. */
  public static final int[] SAMPLE_SHAPE = {1, 28, 28};

  /** Number of output classes. */
  public static final int CLASSES = 10;

  /** Dense MACs of one sample, counted by hand (see the class comment). */
  public static final long DENSE_MACS_PER_SAMPLE = 112_896L + 903_168L + 200_704L + 1_280L;

  private SmallCnn() {}

  /**
   * Builds the network with deterministic He-uniform weights.
   *
   * @param seed the initialisation seed
   * @return a new, unpruned graph
   */
  public static Graph build(long seed) {
    return GraphBuilder.create(seed)
        .input(INPUT, SAMPLE_SHAPE)
        .conv2d("conv1", 16, 3, 1, 1).relu().maxPool2d(2)
        .conv2d("conv2", 32, 3, 1, 1).relu().maxPool2d(2)
        .flatten()
        .linear("fc1", 128).relu()
        .linear("fc2", CLASSES)
        .build();
  }
}
