package org.prunekit.analysis.federated;

/**
 * An undirected communication link between two clients.
 *
 * @param a one end (client name)
 * @param b the other end (client name)
 * @param rateBitsPerSecond link rate {@code R_e} in bit/s (positive, finite)
 * @param delaySeconds fixed per-hop delay {@code d_e} in seconds (non-negative, finite)
 */
public record Link(String a, String b, double rateBitsPerSecond, double delaySeconds) {
  /** Validates. */
  public Link {
    if (a == null || a.isBlank() || b == null || b.isBlank()) {
      throw new IllegalArgumentException("link ends must be non-blank client names, got '" + a + "' and '" + b + "'");
    }
    if (a.equals(b)) {
      throw new IllegalArgumentException("link " + a + "-" + b + " is a self-loop");
    }
    if (!(rateBitsPerSecond > 0) || !Double.isFinite(rateBitsPerSecond)) {
      throw new IllegalArgumentException("link " + a + "-" + b + ": rate must be positive and finite, got "
          + rateBitsPerSecond + " bit/s");
    }
    if (!(delaySeconds >= 0) || !Double.isFinite(delaySeconds)) {
      throw new IllegalArgumentException("link " + a + "-" + b + ": delay (latency) must be non-negative and finite,"
          + " got " + delaySeconds + " s");
    }
  }

  /** A link without fixed delay. */
  public static Link of(String a, String b, double rateBitsPerSecond) {
    return new Link(a, b, rateBitsPerSecond, 0);
  }

  /**
   * A wireless link with Shannon rate {@code R = B log2(1 + SNR)}.
   *
   * @param bandwidthHz bandwidth {@code B} in Hz (positive)
   * @param snrLinear signal-to-noise ratio (linear, positive)
   * @throws IllegalArgumentException naming the link for a non-positive bandwidth or SNR
   */
  public static Link shannon(String a, String b, double bandwidthHz, double snrLinear, double delaySeconds) {
    if (!(bandwidthHz > 0) || !Double.isFinite(bandwidthHz)) {
      throw new IllegalArgumentException("link " + a + "-" + b + ": bandwidth must be positive and finite, got "
          + bandwidthHz + " Hz");
    }
    if (!(snrLinear > 0) || !Double.isFinite(snrLinear)) {
      throw new IllegalArgumentException("link " + a + "-" + b + ": SNR must be positive and finite, got " + snrLinear);
    }
    return new Link(a, b, bandwidthHz * Math.log(1 + snrLinear) / Math.log(2), delaySeconds);
  }

  /** Whether this link joins {@code x} and {@code y} (either direction). */
  public boolean joins(String x, String y) {
    return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
  }
}
