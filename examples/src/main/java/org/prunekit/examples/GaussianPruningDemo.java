package org.prunekit.examples;

import java.io.PrintStream;
import java.util.Locale;
import org.prunekit.criteria.gaussian.GaussianPruning;
import org.prunekit.criteria.gaussian.GaussianPruningResult;
import org.prunekit.criteria.gaussian.MaxWeightRenderer;
import org.prunekit.criteria.gaussian.SyntheticScenes;

/**
 * Max-blending-weight pruning of 3D Gaussians on two synthetic scenes: the occluded scene (known
 * hidden and dominant Gaussians) and a random scene of {@code N} Gaussians, timed per view.
 *
 * <p>Run: {@code java -cp "examples/target/classes:$(cat examples/target/classpath.txt)"
 * org.prunekit.examples.GaussianPruningDemo [--n 20000] [--views 8] [--size 256x256] [--threads 2]}.
 * See {@code docs/gaussian.md}.
 */
public final class GaussianPruningDemo {
  private GaussianPruningDemo() {}

  /** Runs both scenes and prints the reports to {@code out}. */
  public static void run(int n, int views, int width, int height, int threads, PrintStream out) {
    MaxWeightRenderer renderer = MaxWeightRenderer.builder().optThreads(threads).build();
    SyntheticScenes.Scene occ = SyntheticScenes.occluded(200, 8, 1);
    GaussianPruningResult r = GaussianPruning.prune(occ.cloud(), occ.cameras(), GaussianPruning.DEFAULT_THRESHOLD,
        renderer);
    int hiddenKept = 0;
    float hiddenMax = 0;
    for (int h : occ.hidden()) {
      hiddenKept += r.isKept(h) ? 1 : 0;
      hiddenMax = Math.max(hiddenMax, r.maxWeights().weights()[h]);
    }
    int domKept = 0;
    float domMin = 1;
    for (int d : occ.dominant()) {
      domKept += r.isKept(d) ? 1 : 0;
      domMin = Math.min(domMin, r.maxWeights().weights()[d]);
    }
    out.printf(Locale.ROOT, "occluded scene (%d Gaussians: 162 wall, %d hidden, %d dominant; 8 views 64x64)%n",
        occ.cloud().size(), occ.hidden().length, occ.dominant().length);
    out.println("  " + r.report());
    out.printf(Locale.ROOT,
        "  hidden kept: %d of %d (largest max weight %.3g); dominant kept: %d of %d (smallest %.3f)%n",
        hiddenKept, occ.hidden().length, hiddenMax, domKept, occ.dominant().length, domMin);

    SyntheticScenes.Scene rnd = SyntheticScenes.random(n, views, width, height, 2);
    // Warm-up pass (JIT), then the timed pass.
    renderer.maxWeights(rnd.cloud(), rnd.cameras().subList(0, 1));
    GaussianPruningResult rr = GaussianPruning.prune(rnd.cloud(), rnd.cameras(), GaussianPruning.DEFAULT_THRESHOLD,
        renderer);
    out.printf(Locale.ROOT, "random scene (%d Gaussians, %d views %dx%d, %d thread(s))%n", n, views, width, height,
        threads);
    out.println("  " + rr.report());
    double[] s = rr.maxWeights().secondsPerView();
    StringBuilder sb = new StringBuilder();
    for (double v : s) {
      sb.append(String.format(Locale.ROOT, " %.1f", 1000 * v));
    }
    out.println("  ms per view:" + sb);
  }

  /** Command line, see the class comment. */
  public static void main(String[] args) {
    int n = 20000;
    int views = 8;
    int w = 256;
    int h = 256;
    int threads = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(v);
        case "--views" -> views = Integer.parseInt(v);
        case "--size" -> {
          String[] p = v.split("x");
          w = Integer.parseInt(p[0]);
          h = Integer.parseInt(p[1]);
        }
        case "--threads" -> threads = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    run(n, views, w, h, threads, System.out);
  }
}
