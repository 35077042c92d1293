package org.prunekit.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every verb shares ({@code --verbose}) and the verb's output stream. */
final class CommonOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--verbose", description = "print stack traces on error")
  boolean verbose;

  /** Where the verb prints its results (picocli's configured output). */
  PrintWriter out() {
    return mixee.commandLine().getOut();
  }
}
