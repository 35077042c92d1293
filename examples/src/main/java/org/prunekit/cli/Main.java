package org.prunekit.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code prunekit} command line: {@code demo}, {@code eval}, {@code prune}, {@code mask}, {@code bench},
 * {@code certify}. Errors are printed
 * as one clear line with a non-zero exit code; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "prunekit",
    mixinStandardHelpOptions = true,
    version = "PruneKit 0.1.0-SNAPSHOT",
    description = "Neural-network pruning for the JVM.",
    subcommands = {DemoCommand.class, EvalCommand.class, PruneCommand.class, MaskCommand.class, BenchCommand.class, ExampleCommand.class,
        CertifyCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI on the process's standard streams and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the CLI writing to {@code out} and {@code err} and returns the exit code (used by tests). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CliSupport.ensureOffline();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
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
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
