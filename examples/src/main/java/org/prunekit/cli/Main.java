package org.prunekit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code prunekit} command line: {@code demo}, {@code eval}, {@code prune}. Errors are printed
 * as one clear line with a non-zero exit code; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "prunekit",
    mixinStandardHelpOptions = true,
    version = "PruneKit 0.1.0-SNAPSHOT",
    description = "Neural-network pruning for the JVM.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code (used by tests). */
  public static int run(String... args) {
    CliSupport.ensureOffline();
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          boolean verbose = parseResult.hasMatchedOption("--verbose")
              || parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
          if (verbose) {
            ex.printStackTrace(cmd.getErr());
          }
          cmd.getErr().println("prunekit " + cmd.getCommandName() + ": error: " + CliSupport.oneLine(ex));
          return 1;
        });
    return cl.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
