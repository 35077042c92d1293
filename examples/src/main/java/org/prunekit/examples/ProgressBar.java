package org.prunekit.examples;

import java.io.PrintStream;

/** A one-line text progress bar, rewritten in place at most five times a second. */
public final class ProgressBar {
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private long lastPrint;

  /** A bar for {@code total} steps. */
  public ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
  }

  /** Reports {@code done} steps finished. */
  public void update(int done) {
    long now = System.nanoTime();
    if (done < total && now - lastPrint < 200_000_000L) {
      return;
    }
    lastPrint = now;
    int width = 30;
    long d = Math.min(done, total);
    int filled = (int) (width * d / total);
    out.printf("\r  %-9s [%s%s] %3d%% %5.1fs", label, "#".repeat(filled), " ".repeat(width - filled),
        100 * d / total, (now - start) / 1e9);
    if (d >= total) {
      out.println();
    }
    out.flush();
  }
}
