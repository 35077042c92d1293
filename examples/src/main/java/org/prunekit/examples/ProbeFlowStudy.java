package org.prunekit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunekit.core.graph.Graph;
import org.prunekit.dynamic.probeflow.EulerSolver;
import org.prunekit.dynamic.probeflow.HeunSolver;
import org.prunekit.dynamic.probeflow.Noise;
import org.prunekit.dynamic.probeflow.OdeSolver;
import org.prunekit.dynamic.probeflow.ProbeFlowSolver;
import org.prunekit.dynamic.probeflow.Rk45Solver;
import org.prunekit.dynamic.probeflow.SolveResult;
import org.prunekit.dynamic.probeflow.policy.ActionChunks;
import org.prunekit.dynamic.probeflow.policy.ChunkNormalizer;
import org.prunekit.dynamic.probeflow.policy.DemoTrajectory;
import org.prunekit.dynamic.probeflow.policy.FlowMatchingTrainer;
import org.prunekit.dynamic.probeflow.policy.FlowPolicyHead;
import org.prunekit.dynamic.probeflow.policy.KukaDemos;
import org.prunekit.dynamic.probeflow.policy.Parameterization;
import org.prunekit.dynamic.probeflow.policy.TrainingReport;

/**
 * ProbeFlow on a real policy: trains a conditional flow-matching action head on the KUKA LWR
 * demonstrations of one task (whole demos held out), then decodes one action chunk per held-out
 * position with every solver from the same seeded noise (paired comparison) and reports mean network
 * evaluations, mean steps, action error against the 50-step Euler chunk and against the held-out
 * demonstration (as % of the per-axis action range), and decoding latency.
 *
 * <p>Run (after {@code ./mvnw -o -q -B package -DskipTests}):
 *
 * <pre>
 * java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 \
 *   -cp $(cat examples/target/classpath.txt):examples/target/classes \
 *   org.prunekit.examples.ProbeFlowStudy [--shared ../shared] [--task 3D_viapoint_1] [--horizon 16]
 *   [--train-steps 3000] [--hidden 256] [--layers 3] [--holdout-every 5] [--eval-stride 5] [--seed 7]
 *   [--condition position,position-velocity] [--param velocity,endpoint]
 * </pre>
 *
 * <p>Each (condition, parameterization) pair trains its own head (about 2 minutes with one PyTorch
 * thread on the busy 2-core machine) and evaluates every solver (about 1.5 minutes). See {@code
 * docs/dynamic-probeflow.md}.
 */
public final class ProbeFlowStudy {
  private ProbeFlowStudy() {}

  /** Runs the study; see the class comment for the options. */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    Path dir = o.containsKey("shared")
        ? Path.of(o.get("shared"), "data", KukaDemos.DIRECTORY)
        : KukaDemos.locate().orElseThrow(() -> new IllegalStateException(
            "KUKA demonstrations not found; pass --shared <dir holding data/" + KukaDemos.DIRECTORY + ">"));
    String task = o.getOrDefault("task", "3D_viapoint_1");
    int horizon = Integer.parseInt(o.getOrDefault("horizon", "16"));
    int trainSteps = Integer.parseInt(o.getOrDefault("train-steps", "3000"));
    int hidden = Integer.parseInt(o.getOrDefault("hidden", "256"));
    int layers = Integer.parseInt(o.getOrDefault("layers", "3"));
    int holdoutEvery = Integer.parseInt(o.getOrDefault("holdout-every", "5"));
    int evalStride = Integer.parseInt(o.getOrDefault("eval-stride", "5"));
    long seed = Long.parseLong(o.getOrDefault("seed", "7"));
    List<Parameterization> params = new ArrayList<>();
    for (String p : o.getOrDefault("param", "velocity,endpoint").split(",")) {
      params.add(Parameterization.valueOf(p.trim().toUpperCase(Locale.ROOT)));
    }
    for (String c : o.getOrDefault("condition", "position,position-velocity").split(",")) {
      ActionChunks.Condition condition = switch (c.trim()) {
        case "position" -> ActionChunks.Condition.POSITION;
        case "position-velocity" -> ActionChunks.Condition.POSITION_VELOCITY;
        default -> throw new IllegalArgumentException("--condition: expected position or position-velocity, got " + c);
      };
      for (Parameterization p : params) {
        run(dir.resolve(task + ".csv"), condition, p, horizon, trainSteps, hidden, layers, holdoutEvery, evalStride,
            seed, System.out);
      }
    }
  }

  /** The study on one task file, printing a report to {@code out}. */
  public static void run(Path csv, ActionChunks.Condition condition, Parameterization param,
      int horizon, int trainSteps, int hidden, int layers, int holdoutEvery,
      int evalStride, long seed, PrintStream out) throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("no such task file: " + csv);
    }
    List<DemoTrajectory> demos = KukaDemos.read(csv);
    List<DemoTrajectory> train = new ArrayList<>();
    List<DemoTrajectory> held = new ArrayList<>();
    for (int i = 0; i < demos.size(); i++) {
      (i % holdoutEvery == holdoutEvery - 1 ? held : train).add(demos.get(i));
    }
    ActionChunks trainChunks = ActionChunks.cut(train, horizon, 1, condition);
    ActionChunks evalChunks = ActionChunks.cut(held, horizon, evalStride, condition);
    ChunkNormalizer norm = ChunkNormalizer.fit(trainChunks);
    float[] range = norm.actionRange();
    out.printf(Locale.ROOT, "%n=== condition: %s, head predicts: %s ===%n", condition, param);
    out.printf(Locale.ROOT, "task %s: %d demos, %d for training (%d chunks), %d held out %s (%d eval positions)%n",
        csv.getFileName(), demos.size(), train.size(), trainChunks.size(), held.size(),
        held.stream().map(d -> Integer.toString(d.id())).toList(), evalChunks.size());
    out.printf(Locale.ROOT, "horizon %d, action range (m/s): x [%.4f, %.4f], y [%.4f, %.4f], z [%.4f, %.4f]%n",
        horizon, norm.actionMin()[0], norm.actionMax()[0], norm.actionMin()[1], norm.actionMax()[1],
        norm.actionMin()[2], norm.actionMax()[2]);

    Graph graph = FlowPolicyHead.newGraph(horizon, norm.conditionDim(), hidden, layers, seed);
    TrainingReport tr = FlowMatchingTrainer.builder().optSteps(trainSteps).optSeed(seed).optParameterization(param)
        .build()
        .train(graph, trainChunks, norm);
    out.printf(Locale.ROOT, "trained MLP %d-%s-%d: %d steps x batch 256, loss %.4f -> %.4f, %.1f s%n",
        FlowPolicyHead.inputWidth(horizon, norm.conditionDim()), hidden + "x" + layers, 3 * horizon, tr.steps(), tr.firstLoss(),
        tr.finalLoss(), tr.seconds());

    double[] knn = nearestNeighbourBaseline(trainChunks, evalChunks, norm, 20);
    List<OdeSolver> solvers = List.of(EulerSolver.of(50), ProbeFlowSolver.withDefaults(), EulerSolver.of(2),
        EulerSolver.of(4), EulerSolver.of(10), HeunSolver.of(5), Rk45Solver.withDefaults());
    try (FlowPolicyHead head = FlowPolicyHead.create(graph, horizon, norm, param)) {
      int n = evalChunks.size();
      float[][][] results = new float[solvers.size()][n][];
      long[][] nanos = new long[solvers.size()][n];
      int[] nfe = new int[solvers.size()];
      int[] steps = new int[solvers.size()];
      int[] hist = new int[21];
      double simSum = 0;
      // Warm-up (JIT, libtorch kernels) on the first positions, not measured.
      for (int i = 0; i < Math.min(20, n); i++) {
        for (OdeSolver s : solvers) {
          s.solve(head, Noise.uniform(1, head.dimension(), new SplittableRandom(seed + i)),
              new float[][] {evalChunks.conditions()[i]});
        }
      }
      for (int i = 0; i < n; i++) {
        float[][] cond = {evalChunks.conditions()[i]};
        float[][] x0 = Noise.uniform(1, head.dimension(), new SplittableRandom(seed * 1_000_003L + i));
        for (int s = 0; s < solvers.size(); s++) {
          long t0 = System.nanoTime();
          SolveResult r = solvers.get(s).solve(head, x0, cond);
          nanos[s][i] = System.nanoTime() - t0;
          results[s][i] = r.x()[0];
          nfe[s] += r.networkEvaluations();
          steps[s] += r.steps();
          if (solvers.get(s) instanceof ProbeFlowSolver) {
            hist[Math.min(20, r.steps())]++;
            simSum += r.sim();
          }
        }
      }
      double refMean = mean(nanos[0]);
      out.printf(Locale.ROOT, "%n| solver | mean NFE | mean steps | err vs Euler-50 (%% range) mean / p95 | "
          + "err vs held-out demo (%% range) | latency mean / median (µs) | speed-up vs Euler-50 |%n");
      out.println("|---|---:|---:|---:|---:|---:|---:|");
      for (int s = 0; s < solvers.size(); s++) {
        double[] errRef = new double[n];
        double errDemo = 0;
        for (int i = 0; i < n; i++) {
          errRef[i] = maePercent(results[s][i], results[0][i]);
          errDemo += maePercent(results[s][i], norm.normalizeAction(evalChunks.actions()[i]));
        }
        double[] sorted = errRef.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.3f / %.3f | %.2f | %.0f / %.0f | %.1fx |%n",
            solvers.get(s).name(), (double) nfe[s] / n, (double) steps[s] / n, mean(errRef),
            sorted[(int) Math.floor(0.95 * (n - 1))], errDemo / n, mean(nanos[s]) / 1e3, median(nanos[s]) / 1e3,
            refMean / mean(nanos[s]));
      }
      StringBuilder h = new StringBuilder();
      for (int k = 2; k <= 20; k += 2) {
        if (hist[k] > 0) {
          h.append(" N=").append(k).append(": ").append(hist[k]);
        }
      }
      out.println();
      out.println("ProbeFlow step counts over " + n + " chunks:" + h);
      out.printf(Locale.ROOT, "ProbeFlow mean sim %.4f (N = 2 needs sim > 0.992)%n", simSum / n);
      out.printf(Locale.ROOT, "reference: mean of the 20 nearest training chunks (by standardised condition) vs held-out demo: "
          + "%.2f %% range; their spread around that mean: %.2f %% range%n", knn[0], knn[1]);
      out.printf(Locale.ROOT, "network: %d MACs per evaluation (batch 1)%n", head.macsPerEvaluation(1));
    }
  }

  /**
   * A non-generative reference: for each evaluation position, the mean of the {@code k} training
   * chunks whose positions are nearest; returns {mean error of that mean vs the held-out chunk, mean
   * spread of the k chunks around it}, both as % of the action range.
   */
  static double[] nearestNeighbourBaseline(ActionChunks train, ActionChunks eval, ChunkNormalizer norm, int k) {
    float[][] tn = new float[train.size()][];
    for (int j = 0; j < tn.length; j++) {
      tn[j] = norm.normalizeAction(train.actions()[j]);
    }
    double err = 0;
    double spread = 0;
    for (int i = 0; i < eval.size(); i++) {
      float[] p = norm.normalizeCondition(eval.conditions()[i]);
      Integer[] idx = new Integer[train.size()];
      double[] dist = new double[train.size()];
      for (int j = 0; j < idx.length; j++) {
        idx[j] = j;
        float[] q = norm.normalizeCondition(train.conditions()[j]);
        double dd = 0;
        for (int e = 0; e < p.length; e++) {
          dd += (p[e] - q[e]) * (p[e] - q[e]);
        }
        dist[j] = dd;
      }
      Arrays.sort(idx, (a, b) -> Double.compare(dist[a], dist[b]));
      float[] mean = new float[tn[0].length];
      for (int m = 0; m < k; m++) {
        for (int e = 0; e < mean.length; e++) {
          mean[e] += tn[idx[m]][e] / k;
        }
      }
      err += maePercent(mean, norm.normalizeAction(eval.actions()[i]));
      for (int m = 0; m < k; m++) {
        spread += maePercent(tn[idx[m]], mean) / k;
      }
    }
    return new double[] {err / eval.size(), spread / eval.size()};
  }

  /** Mean |a - b| over the chunk in the normalised space, as % of the per-axis range (2 there). */
  static double maePercent(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - b[i]);
    }
    return 100.0 * s / a.length / 2.0;
  }

  private static double mean(long[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static double median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
