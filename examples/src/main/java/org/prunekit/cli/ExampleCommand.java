package org.prunekit.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code prunekit example NAME [ARGS...]}: runs one of the study programs in {@code
 * org.prunekit.examples} (each guide gives its exact command and the output it printed). Arguments
 * after the name go to the program's own {@code main}.
 */
@Command(name = "example", mixinStandardHelpOptions = true,
    description = {"Run a study program: prunekit example NAME [ARGS...] (ARGS go to the program; see its guide).",
        "Known programs:%n"
            + "  DanceStudy           DANCE gating of a 3D CNN on moving MNIST digits (docs/dynamic-dance.md)%n"
            + "  ProbeFlowStudy       ProbeFlow vs fixed-step solvers on a KUKA flow-matching head (docs/dynamic-probeflow.md)%n"
            + "  TokenPruningStudy    token pruning and layer skipping on a Fashion-MNIST ViT (docs/dynamic-tokens.md)%n"
            + "  AgfRoutingStudy      light/heavy expert routing with an AGF-pruned light expert (docs/dynamic-routing.md)%n"
            + "  ScheduledSamplerDemo sampler schedules: head cache, guidance schedule, hybrid policy (docs/dynamic-routing.md)%n"
            + "  ImpactStudy          IMPACT metrics of a dense vs Wanda-pruned ViT (docs/impact.md)%n"
            + "  FederatedStudy       D-FL routing-and-pruning planner in a federated simulation (docs/federated.md)%n"
            + "  GaussianPruningDemo  max-blending-weight pruning of 3D Gaussians (docs/gaussian.md)%n"
            + "  StructuredMnistStudy structured pruning of the MNIST CNNs (docs/structured.md)%n"
            + "  QuickStart           the README's library example"})
final class ExampleCommand implements Callable<Integer> {
  /** Program names and their classes, in the order of the help text. */
  static final Map<String, String> PROGRAMS = new LinkedHashMap<>();

  static {
    for (String n : List.of("DanceStudy", "ProbeFlowStudy", "TokenPruningStudy", "AgfRoutingStudy",
        "ScheduledSamplerDemo", "ImpactStudy", "FederatedStudy", "GaussianPruningDemo", "StructuredMnistStudy",
        "QuickStart")) {
      PROGRAMS.put(n, "org.prunekit.examples." + n);
    }
  }

  @Parameters(index = "0", paramLabel = "NAME", description = "the program to run (see the list above)")
  String name;

  /** Everything after NAME that is not {@code --verbose} / {@code --help}, in order, for the program. */
  @Unmatched List<String> args = new ArrayList<>();

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    String cls = PROGRAMS.get(name);
    if (cls == null) {
      throw new IllegalArgumentException("unknown example '" + name + "'; known: " + String.join(", ", PROGRAMS.keySet()));
    }
    Method main = Class.forName(cls).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args.toArray(new String[0]));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
    return 0;
  }
}
