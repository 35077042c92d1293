package org.prunekit.core.io;

import java.io.IOException;

/**
 * A file (safetensors, npy/npz, PruneKit model) is malformed, truncated, corrupted or of an
 * unsupported kind. The message names the file or part, and the tensor, field or offset at fault.
 */
public class InvalidFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public InvalidFormatException(String message) {
    super(message);
  }

  /** Creates the exception with a message and a cause. */
  public InvalidFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
