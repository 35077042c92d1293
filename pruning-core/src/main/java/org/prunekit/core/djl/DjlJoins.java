package org.prunekit.core.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.function.Function;

/**
 * Join functions for {@link ai.djl.nn.ParallelBlock}s that {@link DjlBlockImporter} recognises.
 *
 * <p>A {@code ParallelBlock}'s join is an opaque function; the importer identifies it by identity,
 * so build residual and inception-style blocks with these constants (or register your own with
 * {@link DjlBlockImporter.Builder#optJoin}):
 *
 * <pre>{@code
 * new ParallelBlock(DjlJoins.ADD, List.of(mainBranch, Blocks.identityBlock()));
 * }</pre>
 */
public final class DjlJoins {
  /** How branch outputs are combined. */
  public enum Join {
    /** Element-wise sum of every branch's single output (a residual connection). */
    ADD,
    /** Concatenation of every branch's single output along axis 1 (channels). */
    CONCAT_CHANNELS
  }

  /** Sums the single output of every branch. */
  public static final Function<List<NDList>, NDList> ADD = DjlJoins::add;

  /** Concatenates the single output of every branch along axis 1. */
  public static final Function<List<NDList>, NDList> CONCAT_CHANNELS = DjlJoins::concat;

  private DjlJoins() {}

  private static NDList add(List<NDList> branches) {
    NDArray[] a = branches.stream().map(NDList::singletonOrThrow).toArray(NDArray[]::new);
    return new NDList(a.length == 1 ? a[0] : NDArrays.add(a));
  }

  private static NDList concat(List<NDList> branches) {
    NDList all = new NDList();
    branches.forEach(b -> all.add(b.singletonOrThrow()));
    return new NDList(NDArrays.concat(all, 1));
  }
}
