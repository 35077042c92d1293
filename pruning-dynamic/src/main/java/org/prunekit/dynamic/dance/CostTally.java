package org.prunekit.dynamic.dance;

import org.prunekit.dynamic.InferenceCost;

/** Per-clip cost accumulators of {@link DanceRunner}. */
final class CostTally {
  private static final int BYTES = 4;
  long execMacs;
  long execBytes;
  long zeroSkipMacs;
  long zeroSkipBytes;
  long framesKept;
  long framesTotal;
  long channelsKept;
  long channelsTotal;
  long featuresKept;
  long featuresTotal;

  void executed(long macs, long bytes) {
    execMacs += macs;
    execBytes += bytes;
  }

  void zeroSkip(Conv3dCost.Counts c) {
    zeroSkipMacs += c.macs();
    zeroSkipBytes += c.memoryBytes(BYTES);
  }

  void frames(long kept, long total) {
    framesKept += kept;
    framesTotal += total;
  }

  void channels(long kept, long total) {
    channelsKept += kept;
    channelsTotal += total;
  }

  void features(long kept, long total) {
    featuresKept += kept;
    featuresTotal += total;
  }

  InferenceCost cost(long denseMacs, long denseBytes, boolean gate, boolean exact) {
    InferenceCost c = InferenceCost.of(execMacs, execBytes, 1)
        .withCounter("denseMacs", denseMacs)
        .withCounter("denseMemoryBytes", denseBytes);
    if (exact) {
      c = c.withCounter("zeroSkipMacs", zeroSkipMacs).withCounter("zeroSkipMemoryBytes", zeroSkipBytes);
    }
    c = c.withCounter("framesKept", framesTotal == 0 ? 1 : (double) framesKept / framesTotal)
        .withCounter("channelsKept", channelsTotal == 0 ? 1 : (double) channelsKept / channelsTotal);
    if (exact && gate && featuresTotal > 0) {
      c = c.withCounter("featureDensity", (double) featuresKept / featuresTotal);
    }
    return c;
  }
}
