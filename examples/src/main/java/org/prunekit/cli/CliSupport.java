package org.prunekit.cli;

/** Small shared pieces of the command line: offline set-up and one-line errors. */
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
}
