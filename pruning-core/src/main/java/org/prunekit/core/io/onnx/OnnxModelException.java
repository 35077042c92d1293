package org.prunekit.core.io.onnx;

/**
 * An ONNX model that cannot be imported or a graph that cannot be exported: an unsupported
 * operator or attribute, a malformed tensor, a dangling reference. The message names the ONNX
 * node (name and op_type) or graph node at fault.
 */
public class OnnxModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the node at fault. */
  public OnnxModelException(String message) {
    super(message);
  }

  /** Creates the exception with a cause. */
  public OnnxModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
