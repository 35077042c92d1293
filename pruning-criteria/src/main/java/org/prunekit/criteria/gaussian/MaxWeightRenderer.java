package org.prunekit.criteria.gaussian;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU front-to-back alpha compositing that records, per Gaussian, its maximum blending weight over
 * all pixels of all views (ReLaGS' max-contribution rasteriser, spec §3.10, on 3D Gaussians).
 *
 * <p>Per view: Gaussians are projected ({@link GaussianProjection}: EWA 2D covariance plus {@code
 * dilation} on the diagonal, box of {@code cutoffSigma} standard deviations, near-plane cull),
 * sorted by camera depth, binned into square tiles; then every pixel {@code (x, y)} walks its
 * tile's list front to back with transmittance {@code T = 1}:
 *
 * <pre>
 * power = -0.5 (A dx^2 + C dy^2) - B dx dy   (dx = u - x, dy = v - y; skip if power > 0)
 * alpha = min(alphaMax, opacity * exp(power)); skip if alpha < alphaMin
 * if T * (1 - alpha) < transmittanceMin: stop this pixel (this Gaussian is not counted)
 * w = alpha * T;  max[i] = max(max[i], w);  T = T * (1 - alpha)
 * </pre>
 *
 * exactly as the reference CUDA kernel does. Tiles are shared out over {@code threads} worker
 * threads, each with its own maximum array, merged at the end of the view.
 *
 * <p>Defaults follow 3DGS/ReLaGS: {@code alphaMax = 0.99}, {@code alphaMin = 1/255}, {@code
 * transmittanceMin = 1e-4}, {@code near = 0.2}, {@code dilation = 0.3} px², {@code cutoffSigma =
 * 3}, tiles of 16 px.
 */
public final class MaxWeightRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(MaxWeightRenderer.class);

  private final double alphaMax;
  private final double alphaMin;
  private final double transmittanceMin;
  private final double near;
  private final double dilation;
  private final double cutoffSigma;
  private final int tileSize;
  private final int threads;

  private MaxWeightRenderer(Builder b) {
    this.alphaMax = b.alphaMax;
    this.alphaMin = b.alphaMin;
    this.transmittanceMin = b.transmittanceMin;
    this.near = b.near;
    this.dilation = b.dilation;
    this.cutoffSigma = b.cutoffSigma;
    this.tileSize = b.tileSize;
    this.threads = b.threads;
  }

  /** A renderer with the reference defaults. */
  public static MaxWeightRenderer defaults() {
    return builder().build();
  }

  /** A builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The maximum blending weight of every Gaussian over all pixels of all {@code cameras}.
   *
   * @throws IllegalArgumentException for an empty camera list
   */
  public MaxWeights maxWeights(GaussianCloud cloud, List<PinholeCamera> cameras) {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(cameras, "cameras");
    if (cameras.isEmpty()) {
      throw new IllegalArgumentException("at least one camera is needed to compute blending weights");
    }
    for (int c = 0; c < cameras.size(); c++) {
      Objects.requireNonNull(cameras.get(c), "camera #" + c);
    }
    int n = cloud.size();
    float[] best = new float[n];
    int[] bestView = new int[n];
    java.util.Arrays.fill(bestView, -1);
    double[] seconds = new double[cameras.size()];
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "prunekit-gaussian-raster");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      for (int c = 0; c < cameras.size(); c++) {
        long t0 = System.nanoTime();
        float[] view = renderView(cloud, cameras.get(c), pool);
        for (int i = 0; i < n; i++) {
          if (view[i] > best[i]) {
            best[i] = view[i];
            bestView[i] = c;
          }
        }
        seconds[c] = (System.nanoTime() - t0) / 1e9;
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    LOG.debug("max blending weights of {} Gaussians over {} view(s)", n, cameras.size());
    return new MaxWeights(best, bestView, seconds);
  }

  /** The maximum blending weight of every Gaussian over the pixels of one view. */
  public float[] maxWeights(GaussianCloud cloud, PinholeCamera camera) {
    return maxWeights(cloud, List.of(camera)).weights();
  }

  private float[] renderView(GaussianCloud cloud, PinholeCamera cam, ExecutorService pool) {
    GaussianProjection p = GaussianProjection.project(cloud, cam, near, dilation, cutoffSigma);
    int tilesX = (cam.width() + tileSize - 1) / tileSize;
    int tilesY = (cam.height() + tileSize - 1) / tileSize;
    int tiles = tilesX * tilesY;
    // CSR lists of projected entries per tile, in depth order.
    int[] start = new int[tiles + 1];
    for (int k = 0; k < p.size(); k++) {
      for (int ty = p.yMin[k] / tileSize; ty <= p.yMax[k] / tileSize; ty++) {
        for (int tx = p.xMin[k] / tileSize; tx <= p.xMax[k] / tileSize; tx++) {
          start[ty * tilesX + tx + 1]++;
        }
      }
    }
    for (int t = 0; t < tiles; t++) {
      start[t + 1] += start[t];
    }
    int[] fill = start.clone();
    int[] entries = new int[start[tiles]];
    for (int k = 0; k < p.size(); k++) {
      for (int ty = p.yMin[k] / tileSize; ty <= p.yMax[k] / tileSize; ty++) {
        for (int tx = p.xMin[k] / tileSize; tx <= p.xMax[k] / tileSize; tx++) {
          entries[fill[ty * tilesX + tx]++] = k;
        }
      }
    }
    int workers = pool == null ? 1 : Math.min(threads, tiles);
    float[][] local = new float[workers][];
    if (workers == 1) {
      local[0] = composite(p, cam, start, entries, tilesX, tiles, 0, 1);
    } else {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int first = w;
        int stride = workers;
        futures.add(pool.submit(() -> composite(p, cam, start, entries, tilesX, tiles, first, stride)));
      }
      try {
        for (int w = 0; w < workers; w++) {
          local[w] = futures.get(w).get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while compositing", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("compositing failed: " + e.getCause(), e.getCause());
      }
    }
    float[] out = new float[cloud.size()];
    for (float[] l : local) {
      for (int k = 0; k < l.length; k++) {
        int i = p.order[k];
        if (l[k] > out[i]) {
          out[i] = l[k];
        }
      }
    }
    return out;
  }

  /** Composites tiles {@code first, first+stride, ...}; returns maxima indexed by projected entry. */
  private float[] composite(GaussianProjection p, PinholeCamera cam, int[] start, int[] entries, int tilesX,
      int tiles, int first, int stride) {
    float[] max = new float[p.size()];
    for (int t = first; t < tiles; t += stride) {
      int x0 = (t % tilesX) * tileSize;
      int y0 = (t / tilesX) * tileSize;
      int x1 = Math.min(x0 + tileSize, cam.width());
      int y1 = Math.min(y0 + tileSize, cam.height());
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          double tr = 1.0;
          for (int e = start[t]; e < start[t + 1]; e++) {
            int k = entries[e];
            double dx = p.u[k] - x;
            double dy = p.v[k] - y;
            double power = -0.5 * (p.conicA[k] * dx * dx + p.conicC[k] * dy * dy) - p.conicB[k] * dx * dy;
            if (power > 0) {
              continue;
            }
            double alpha = Math.min(alphaMax, p.opacity[k] * Math.exp(power));
            if (alpha < alphaMin) {
              continue;
            }
            double testT = tr * (1 - alpha);
            if (testT < transmittanceMin) {
              break;
            }
            float w = (float) (alpha * tr);
            if (w > max[k]) {
              max[k] = w;
            }
            tr = testT;
          }
        }
      }
    }
    return max;
  }

  /** Settings of a {@link MaxWeightRenderer}. */
  public static final class Builder {
    private double alphaMax = 0.99;
    private double alphaMin = 1.0 / 255.0;
    private double transmittanceMin = 1e-4;
    private double near = 0.2;
    private double dilation = 0.3;
    private double cutoffSigma = 3.0;
    private int tileSize = 16;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /** Upper clamp of alpha (default 0.99). */
    public Builder optAlphaMax(double v) {
      this.alphaMax = v;
      return this;
    }

    /** Alphas below this are skipped (default 1/255). */
    public Builder optAlphaMin(double v) {
      this.alphaMin = v;
      return this;
    }

    /** A pixel stops when transmittance would fall below this (default 1e-4). */
    public Builder optTransmittanceMin(double v) {
      this.transmittanceMin = v;
      return this;
    }

    /** Gaussians with camera depth at or below this are culled (default 0.2). */
    public Builder optNearPlane(double v) {
      this.near = v;
      return this;
    }

    /** Added to both diagonal entries of each 2D covariance, in px² (default 0.3, the 3DGS low-pass). */
    public Builder optDilation(double v) {
      this.dilation = v;
      return this;
    }

    /** Half-size of each Gaussian's pixel box in standard deviations (default 3). */
    public Builder optCutoffSigma(double v) {
      this.cutoffSigma = v;
      return this;
    }

    /** Tile edge in pixels (default 16). */
    public Builder optTileSize(int v) {
      this.tileSize = v;
      return this;
    }

    /** Worker threads per view (default: available processors; 1 = the calling thread). */
    public Builder optThreads(int v) {
      this.threads = v;
      return this;
    }

    /**
     * Builds the renderer.
     *
     * @throws IllegalArgumentException naming the setting outside its range
     */
    public MaxWeightRenderer build() {
      check("alphaMax", alphaMax, alphaMax > 0 && alphaMax <= 1);
      check("alphaMin", alphaMin, alphaMin >= 0 && alphaMin < alphaMax);
      check("transmittanceMin", transmittanceMin, transmittanceMin >= 0 && transmittanceMin < 1);
      check("nearPlane", near, Double.isFinite(near) && near >= 0);
      check("dilation", dilation, Double.isFinite(dilation) && dilation >= 0);
      check("cutoffSigma", cutoffSigma, Double.isFinite(cutoffSigma) && cutoffSigma > 0);
      check("tileSize", tileSize, tileSize >= 1);
      check("threads", threads, threads >= 1);
      return new MaxWeightRenderer(this);
    }

    private static void check(String name, double v, boolean ok) {
      if (!ok) {
        throw new IllegalArgumentException("renderer setting " + name + " out of range: " + v);
      }
    }
  }
}
