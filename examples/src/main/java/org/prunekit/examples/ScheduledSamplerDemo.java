package org.prunekit.examples;

import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.structured.StructuredPruning;
import org.prunekit.criteria.structured.StructuredResult;
import org.prunekit.criteria.structured.StructuredSpec;
import org.prunekit.dynamic.route.GraphFit;
import org.prunekit.dynamic.schedule.FlashUSchedule;
import org.prunekit.dynamic.schedule.GraphVelocityField;
import org.prunekit.dynamic.schedule.GuidanceSchedule;
import org.prunekit.dynamic.schedule.ScheduledEulerSampler;

/**
 * FlashU's step schedules (spec 3.5 (b), (d), (e)) on a real iterative sampler: a conditional
 * flow-matching MLP velocity field ({@link GraphVelocityField}, hidden 128) trained by the project
 * on a 2-D, 4-class Gaussian mixture (centres at radius 2 on the axes, std 0.25; rectified-flow
 * targets {@code x1 - x0}, 10% of labels dropped to the null class for classifier-free guidance), a
 * copy with half of every hidden layer removed by L1 structured pruning and fine-tuned, and 35-step
 * Euler sampling under five schedules. Reports MACs per sample, trunk evaluations computed and
 * reused, wall time, the mean distance to the full-network samples from the same noise, and the
 * fraction of samples that land nearest to their class centre.
 *
 * <p>Run: {@code java -cp examples/target/classes:$(cat examples/target/classpath.txt)
 * org.prunekit.examples.ScheduledSamplerDemo}.
 */
public final class ScheduledSamplerDemo {
  static final int DIM = 2;
  static final int CLASSES = 4;
  static final double S0 = 2.0;

  /**
   * One schedule's result.
   *
   * @param name the schedule
   * @param macsPerSample MACs per sample over all steps (two rows per sample: guidance)
   * @param trunkComputed steps that ran the trunk
   * @param trunkReused steps that reused the cached trunk output
   * @param millis wall time of the whole batch
   * @param distanceToFull mean L2 distance to the full-network baseline's samples
   * @param modeAccuracy fraction of samples nearest to their class centre
   */
  public record Row(String name, long macsPerSample, int trunkComputed, int trunkReused, double millis,
      double distanceToFull, double modeAccuracy) {}

  private ScheduledSamplerDemo() {}

  /** Trains, prunes, samples {@code n} points under each schedule and prints a Markdown table. */
  public static List<Row> run(int trainPairs, int epochs, int n, PrintStream out) {
    long t0 = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(1);
    int w = GraphVelocityField.inputWidth(DIM, CLASSES);
    float[] z = new float[trainPairs * w];
    float[] v = new float[trainPairs * DIM];
    for (int i = 0; i < trainPairs; i++) {
      int c = rng.nextInt(CLASSES);
      double t = rng.nextDouble();
      int label = rng.nextDouble() < 0.1 ? -1 : c;
      for (int k = 0; k < DIM; k++) {
        double x0 = rng.nextGaussian();
        double x1 = centre(c)[k] + 0.25 * rng.nextGaussian();
        z[i * w + k] = (float) ((1 - t) * x0 + t * x1);
        v[i * DIM + k] = (float) (x1 - x0);
      }
      z[i * w + DIM] = (float) t;
      z[i * w + DIM + 1 + (label < 0 ? CLASSES : label)] = 1;
    }
    Tensor zs = new Tensor(new Shape(trainPairs, w), z);
    Tensor vs = new Tensor(new Shape(trainPairs, DIM), v);
    Graph full = GraphVelocityField.buildGraph(DIM, CLASSES, 128, 3);
    float lossFull = GraphFit.train(full, Loss.l2Loss(), zs, vs, epochs, 256, 2e-3f, 4);
    StructuredResult pr = StructuredPruning.prune(full,
        StructuredSpec.builder().setImportance("l1").setChannelRatio(0.5).build());
    Graph pruned = pr.pruned();
    float lossPruned = GraphFit.train(pruned, Loss.l2Loss(), zs, vs, Math.max(1, epochs / 2), 256, 1e-3f, 5);
    out.printf(Locale.ROOT, "trained on %d pairs, %d epoch(s): full loss %.4f; pruned (%s) fine-tuned loss %.4f;"
        + " %.1f s%n", trainPairs, epochs, lossFull, pr.report().explain(), lossPruned, (System.nanoTime() - t0) / 1e9);
    float[] noise = new float[n * DIM];
    int[] cls = new int[n];
    SplittableRandom nr = new SplittableRandom(9);
    for (int i = 0; i < n; i++) {
      cls[i] = i % CLASSES;
      for (int k = 0; k < DIM; k++) {
        noise[i * DIM + k] = (float) nr.nextGaussian();
      }
    }
    Tensor x0 = new Tensor(new Shape(n, DIM), noise);
    GuidanceSchedule constant = GuidanceSchedule.constant(S0);
    GuidanceSchedule phased = new GuidanceSchedule(List.of(new GuidanceSchedule.Phase(24, 0.75 * S0),
        new GuidanceSchedule.Phase(11, S0)), S0);
    List<Object[]> schedules = List.of(
        new Object[] {"full network, 35 steps (baseline)", FlashUSchedule.builder().setTotalSteps(35).optFullSteps(35)
            .optGuidance(constant).build()},
        new Object[] {"pruned network, 35 steps", FlashUSchedule.builder().setTotalSteps(35).optGuidance(constant)
            .build()},
        new Object[] {"hybrid tau=11", FlashUSchedule.builder().setTotalSteps(35).optFullSteps(11).optGuidance(constant)
            .build()},
        new Object[] {"hybrid tau=11 + cache T=5", FlashUSchedule.builder().setTotalSteps(35).optFullSteps(11)
            .optCachePeriod(5).optGuidance(constant).build()},
        new Object[] {"hybrid + cache + guidance [(24,0.75 s0),(11,s0)]", FlashUSchedule.builder().setTotalSteps(35)
            .optFullSteps(11).optCachePeriod(5).optGuidance(phased).build()});
    List<Row> rows = new ArrayList<>();
    float[] base = null;
    try (GraphVelocityField f = GraphVelocityField.of(full, pruned, DIM, CLASSES)) {
      ScheduledEulerSampler.sample(f, (FlashUSchedule) schedules.get(0)[1], x0, cls, true); // warm-up
      for (Object[] s : schedules) {
        long s0 = System.nanoTime();
        ScheduledEulerSampler.Result r = ScheduledEulerSampler.sample(f, (FlashUSchedule) s[1], x0, cls, true);
        double ms = (System.nanoTime() - s0) / 1e6;
        float[] x = r.samples().data();
        if (base == null) {
          base = x;
        }
        double dist = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
          dist += Math.hypot(x[2 * i] - base[2 * i], x[2 * i + 1] - base[2 * i + 1]);
          right += nearest(x[2 * i], x[2 * i + 1]) == cls[i] ? 1 : 0;
        }
        rows.add(new Row((String) s[0], r.costPerSample().macs(), r.trunkComputed(), r.trunkReused(), ms, dist / n,
            (double) right / n));
      }
    }
    out.println();
    out.print(table(rows));
    return rows;
  }

  static double[] centre(int c) {
    double a = c * Math.PI / 2;
    return new double[] {2 * Math.cos(a), 2 * Math.sin(a)};
  }

  static int nearest(double x, double y) {
    int best = 0;
    double bd = Double.MAX_VALUE;
    for (int c = 0; c < CLASSES; c++) {
      double[] m = centre(c);
      double d = Math.hypot(x - m[0], y - m[1]);
      if (d < bd) {
        bd = d;
        best = c;
      }
    }
    return best;
  }

  /** The table as Markdown. */
  public static String table(List<Row> rows) {
    long baseMacs = rows.get(0).macsPerSample();
    StringBuilder sb = new StringBuilder("| schedule | MACs/sample | vs full | trunk computed / reused | wall ms"
        + " | mean distance to full | mode accuracy |\n|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %,d | %.3fx | %d / %d | %.1f | %.4f | %.2f%% |%n", r.name(),
          r.macsPerSample(), (double) r.macsPerSample() / baseMacs, r.trunkComputed(), r.trunkReused(), r.millis(),
          r.distanceToFull(), 100 * r.modeAccuracy()));
    }
    return sb.toString();
  }

  /** Command line: {@code [--train N] [--epochs N] [--samples N]} (defaults 20000, 6, 2000). */
  public static void main(String[] args) {
    int train = 20_000, epochs = 6, n = 2000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--train" -> train = Integer.parseInt(args[i + 1]);
        case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
        case "--samples" -> n = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; known: --train --epochs --samples");
      }
    }
    run(train, epochs, n, System.out);
  }
}
