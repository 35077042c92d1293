package org.prunekit.core.djl;

/**
 * A DJL block cannot be imported: its type is unsupported, its configuration has no PruneKit
 * equivalent, or its behaviour (a lambda, a join function) cannot be seen. The message names the
 * block's path in the block tree and its class.
 */
public class UnsupportedBlockException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String path;

  /** Creates the exception for the block at {@code path}. */
  public UnsupportedBlockException(String path, String message) {
    super("block '" + path + "': " + message);
    this.path = path;
  }

  /** The path of the offending block ({@code 02SequentialBlock_01Conv2d}). */
  public String path() {
    return path;
  }
}
