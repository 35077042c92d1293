package org.prunekit.core.graph;

/** What a parameter tensor is for; criteria and structural pruning decide by role. */
public enum ParamRole {
  /** A weight matrix or kernel (the usual pruning target). */
  WEIGHT,
  /** An additive bias. */
  BIAS,
  /** A normalisation scale (BatchNorm / LayerNorm / RMSNorm gamma). */
  GAMMA,
  /** A normalisation shift (beta). */
  BETA,
  /** BatchNorm running mean (a buffer, not trained). */
  RUNNING_MEAN,
  /** BatchNorm running variance (a buffer, not trained). */
  RUNNING_VAR,
  /** An embedding table. */
  EMBEDDING;

  /** True for buffers that the optimizer must not update. */
  public boolean isBuffer() {
    return this == RUNNING_MEAN || this == RUNNING_VAR;
  }
}
