package org.prunekit.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Bridges a {@link PrintWriter} (picocli's output) to the {@code PrintStream} the demo writes to. */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter writer;
  private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

  WriterOutputStream(PrintWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) {
    pending.write(b);
    if (b == '\n' || b == '\r') {
      flush();
    }
  }

  @Override
  public void flush() {
    writer.write(pending.toString(StandardCharsets.UTF_8));
    pending.reset();
    writer.flush();
  }
}
