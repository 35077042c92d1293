package org.prunekit.cli;

import java.io.PrintStream;

/** Small shared pieces of the command line: offline set-up, one-line errors, progress. */
final class CliSupport {
  private CliSupport() {}

  /** DJL must never reach the network: set its offline switches before any DJL class loads. */
  static void ensureOffline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  /** The most useful one-line description of an exception (the deepest message). */
  static String oneLine(Throwable ex) {
    Throwable t = ex;
    String msg = null;
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        msg = t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    if (msg == null) {
      msg = ex.getClass().getSimpleName();
    }
    return msg.replace('\n', ' ');
  }

  /** A text progress line on stderr, rewritten in place. */
  static final class Progress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastPrint;

    Progress(PrintStream out, String label, long total) {
      this.out = out;
      this.label = label;
      this.total = Math.max(1, total);
    }

    void update(long done, String extra) {
      long now = System.nanoTime();
      if (done < total && now - lastPrint < 200_000_000L) {
        return;
      }
      lastPrint = now;
      int width = 30;
      int filled = (int) (width * Math.min(done, total) / total);
      out.print("\r  " + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
          + (100 * Math.min(done, total) / total) + "% " + extra + "   ");
      if (done >= total) {
        out.println();
      }
      out.flush();
    }
  }
}
