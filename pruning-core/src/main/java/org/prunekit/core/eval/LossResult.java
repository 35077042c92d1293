package org.prunekit.core.eval;

/**
 * A mean next-token negative log-likelihood.
 *
 * @param nll mean NLL in nats per token
 * @param tokens number of predicted tokens averaged over
 * @param windows number of windows evaluated
 */
public record LossResult(double nll, long tokens, int windows) {
  /** Validates the counts and the value. */
  public LossResult {
    if (tokens <= 0 || windows <= 0) {
      throw new IllegalArgumentException("a loss needs tokens and windows, got " + tokens + " and " + windows);
    }
    if (!(nll >= 0) || Double.isInfinite(nll)) {
      throw new IllegalArgumentException("mean NLL must be finite and >= 0, got " + nll);
    }
  }

  /** The NLL in bits per token. */
  public double bits() {
    return nll / Math.log(2);
  }

  /** The perplexity {@code exp(nll)}. */
  public double perplexity() {
    return Math.exp(nll);
  }
}
