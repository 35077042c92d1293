package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code prunekit example}: every listed program exists and has a main; unknown names fail in one line. */
class ExampleCommandTest {
  @Test
  void everyListedProgramHasAMain() throws Exception {
    for (String cls : ExampleCommand.PROGRAMS.values()) {
      assertEquals(void.class, Class.forName(cls).getMethod("main", String[].class).getReturnType(), cls);
    }
  }

  @Test
  void unknownNameIsOneLineError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), "example", "NoSuchStudy", "--x", "1");
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("prunekit example: error: unknown example 'NoSuchStudy'; known: DanceStudy"),
        err.toString());
  }
}
