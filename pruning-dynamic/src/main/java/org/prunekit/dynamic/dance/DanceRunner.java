package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.prunekit.dynamic.InferenceCost;

/**
 * Runs a trained {@link DanceNet} on one clip at a time on the DJL PyTorch engine, dense or gated
 * by DANCE, and reports each clip's {@link InferenceCost}.
 *
 * <p>Gated execution: the first conv runs dense; the {@link AapController} reads its output
 * statistics and gives per-layer thresholds ({@link LayerThresholds}); for every gated conv the
 * kept input channels and frames are gathered into a smaller tensor, the weight's input channels
 * are sliced, features below threshold are zeroed, and {@link GatedConv3d} convolves only that.
 * The runner never modifies the net: an exception (bad thresholds, NaN statistics) leaves nothing
 * gated, and the next call starts from the unchanged parameters.
 *
 * <p>Cost: {@code macs} and {@code memoryAccessBytes} are the work of the engine calls actually
 * made (see {@link GatedConv3d#executedMacs}); counters add {@code denseMacs}/{@code
 * denseMemoryBytes} (the ungated net), {@code zeroSkipMacs}/{@code zeroSkipMemoryBytes} (the exact
 * spec count of {@link Conv3dCost#exact}, every zero input element skipped, edge effects
 * included), and {@code framesKept}, {@code channelsKept}, {@code featureDensity} (fractions over
 * the gated layers' inputs). Float32, 4 bytes per element.
 */
public final class DanceRunner implements AutoCloseable {
  private static final int BYTES = 4;

  private final DanceNet net;
  private final AapController controller;
  private final float[] mu;
  private final boolean[] gated;
  private final List<Conv3dGeometry> geoms;
  private final Shape clip;
  private final boolean exactAccounting;
  private final boolean conv2d;
  private final NDManager manager;
  private final ParameterStore ps;
  private final NDArray[] touch;
  private final long denseMacs;
  private final long denseBytes;

  private DanceRunner(Builder b, boolean[] gated) {
    this.net = b.net;
    this.controller = b.controller;
    this.mu = b.mu.clone();
    this.gated = gated;
    this.clip = b.clip;
    this.geoms = geometries(net, clip);
    this.exactAccounting = b.exactAccounting;
    this.conv2d = b.conv2d;
    this.manager = net.conv(0).getParameters().get("weight").getArray().getManager().newSubManager();
    this.ps = new ParameterStore(manager, false);
    this.touch = new NDArray[geoms.size()];
    long macs = headMacs(net);
    long bytes = headElements(net) * BYTES;
    for (int l = 0; l < geoms.size(); l++) {
      Conv3dGeometry g = geoms.get(l);
      macs += GatedConv3d.executedMacs(g, g.cIn(), g.t(), conv2d);
      bytes += GatedConv3d.executedElements(g, g.cIn(), g.t(), conv2d) * BYTES;
      float[] tw = Conv3dCost.touchWeights(g);
      int[] ti = new int[tw.length];
      for (int i = 0; i < tw.length; i++) {
        ti[i] = (int) tw[i];
      }
      touch[l] = manager.create(ti, new Shape(g.t(), g.h(), g.w()));
    }
    this.denseMacs = macs;
    this.denseBytes = bytes;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The per-conv geometries of {@code net} for clips of shape {@code [C, T, H, W]}. */
  public static List<Conv3dGeometry> geometries(DanceNet net, Shape clip) {
    if (clip.dimension() != 4) {
      throw new IllegalArgumentException("clip shape must be [C, T, H, W], got " + clip);
    }
    List<Conv3dGeometry> out = new ArrayList<>();
    int c = (int) clip.get(0);
    int t = (int) clip.get(1);
    int h = (int) clip.get(2);
    int w = (int) clip.get(3);
    for (int l = 0; l < net.numConvs(); l++) {
      Conv3dGeometry g = Conv3dGeometry.of("conv" + (l + 1), net.conv(l), c, t, h, w);
      out.add(g);
      c = g.cOut();
      t = g.tOut();
      h = g.hOut();
      w = g.wOut();
      if (net.poolAfter(l)) {
        h /= 2;
        w /= 2;
      }
    }
    return out;
  }

  /** MACs of the classifier head (the linear layer). */
  public static long headMacs(DanceNet net) {
    return (long) net.channels(net.numConvs() - 1) * net.numClasses();
  }

  private static long headElements(DanceNet net) {
    long c = net.channels(net.numConvs() - 1);
    return c + c * net.numClasses() + 2L * net.numClasses();
  }

  /** MACs of the dense net for one clip (padded dense formula for every conv). */
  public long denseMacs() {
    return denseMacs;
  }

  /** Per-conv geometries for this runner's clip shape. */
  public List<Conv3dGeometry> geometries() {
    return geoms;
  }

  /** The result of one clip: logits and the cost of producing them. */
  public record Result(float[] logits, InferenceCost cost) {
    /** Validates non-null fields. */
    public Result {
      Objects.requireNonNull(logits, "logits");
      Objects.requireNonNull(cost, "cost");
    }

    /** Index of the largest logit. */
    public int predicted() {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    }
  }

  /** Runs the ungated net on one clip ({@code C*T*H*W} values, row-major). */
  public Result dense(float[] clipValues) {
    return run(clipValues, null, false);
  }

  /**
   * Runs the net with thresholds from the controller.
   *
   * @throws IllegalStateException if the runner has no controller, or the controller's statistics
   *     or thresholds are not finite
   */
  public Result gated(float[] clipValues) {
    if (controller == null) {
      throw new IllegalStateException("DanceRunner has no AAP controller; pass thresholds explicitly");
    }
    return run(clipValues, null, true);
  }

  /**
   * Runs the net with fixed thresholds, one per gated position {@code conv2..convL} (entries of
   * ungated layers are ignored).
   *
   * @throws IllegalArgumentException if the number of thresholds is not {@code L - 1}
   */
  public Result gated(float[] clipValues, List<LayerThresholds> thresholds) {
    Objects.requireNonNull(thresholds, "thresholds");
    if (thresholds.size() != net.numConvs() - 1) {
      throw new IllegalArgumentException("need " + (net.numConvs() - 1) + " layer thresholds (conv2..conv"
          + net.numConvs() + "), got " + thresholds.size());
    }
    return run(clipValues, thresholds, true);
  }

  private Result run(float[] clipValues, List<LayerThresholds> fixed, boolean gate) {
    Objects.requireNonNull(clipValues, "clip");
    if (clipValues.length != clip.size()) {
      throw new IllegalArgumentException("clip has " + clipValues.length + " values, expected " + clip.size()
          + " for shape " + clip);
    }
    try (NDManager sub = manager.newSubManager()) {
      CostTally tally = new CostTally();
      NDArray x0 = sub.create(clipValues, new Shape(1, clip.get(0), clip.get(1), clip.get(2), clip.get(3)));
      NDArray a = denseLayer(0, x0, tally);
      if (exactAccounting) {
        boolean[] nz = new boolean[clipValues.length];
        for (int i = 0; i < nz.length; i++) {
          nz[i] = clipValues[i] != 0f;
        }
        tally.zeroSkip(Conv3dCost.exact(geoms.get(0), nz, false));
      }
      List<LayerThresholds> th = fixed;
      if (gate && th == null) {
        th = thresholdsFor(a, tally);
      }
      NDArray x = net.poolAfter(0) ? DanceNet.pool(a) : a;
      for (int l = 1; l < net.numConvs(); l++) {
        if (gate && gated[l]) {
          a = gatedLayer(l, x, th.get(l - 1), tally);
        } else {
          if (exactAccounting) {
            tally.zeroSkip(zeroSkipCounts(l, x, null));
          }
          a = denseLayer(l, x, tally);
        }
        x = net.poolAfter(l) ? DanceNet.pool(a) : a;
      }
      float[] logits = net.head(ps, x, false).toFloatArray();
      tally.executed(headMacs(net), headElements(net) * BYTES);
      tally.zeroSkipMacs += headMacs(net);
      tally.zeroSkipBytes += headElements(net) * BYTES;
      return new Result(logits, tally.cost(denseMacs, denseBytes, gate, exactAccounting));
    }
  }

  /** Conv {@code l} + ReLU on the whole input (conv3d, or the conv2d decomposition when chosen). */
  private NDArray denseLayer(int l, NDArray x, CostTally tally) {
    Conv3dGeometry g = geoms.get(l);
    tally.executed(GatedConv3d.executedMacs(g, g.cIn(), g.t(), conv2d),
        GatedConv3d.executedElements(g, g.cIn(), g.t(), conv2d) * BYTES);
    if (!conv2d) {
      return net.stage(ps, l, x, false);
    }
    return ai.djl.nn.Activation.relu(GatedConv3d.forward(x, net.conv(l).getParameters().get("weight").getArray(),
        net.conv(l).getParameters().get("bias").getArray(), range(g.cIn()), range(g.t()), g, true));
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private List<LayerThresholds> thresholdsFor(NDArray a1, CostTally tally) {
    NDArray z = AapController.statistics(a1);
    float[] zs = z.toFloatArray();
    for (int i = 0; i < zs.length; i++) {
      if (!Float.isFinite(zs[i])) {
        throw new IllegalStateException("DANCE controller input statistic " + i + " of " + zs.length
            + " (conv1 output) is not finite: " + zs[i]);
      }
    }
    float[] tau = controller.forward(ps, new NDList(z), false).singletonOrThrow().toFloatArray();
    long cm = controller.macs(zs.length);
    tally.executed(cm, (cm + zs.length) * BYTES);
    tally.zeroSkipMacs += cm;
    tally.zeroSkipBytes += (cm + zs.length) * BYTES;
    List<LayerThresholds> out = new ArrayList<>();
    for (int g = 0; g < controller.gates(); g++) {
      try {
        out.add(new LayerThresholds(tau[3 * g], tau[3 * g + 1], tau[3 * g + 2]));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("AAP controller produced bad thresholds for conv" + (g + 2) + ": "
            + e.getMessage(), e);
      }
    }
    return out;
  }

  private NDArray gatedLayer(int l, NDArray x, LayerThresholds th, CostTally tally) {
    Conv3dGeometry g = geoms.get(l);
    float m = mu[l - 1];
    NDArray abs = x.abs();
    float[] fr = DanceGate.meanOver(abs, false, 0, 1, 3, 4).toFloatArray();
    float[] ch = DanceGate.meanOver(abs, false, 0, 2, 3, 4).toFloatArray();
    int[] kt = keptIndices(fr, th.frame() * m);
    int[] kc = keptIndices(ch, th.channel() * m);
    tally.frames(kt.length, g.t());
    tally.channels(kc.length, g.cIn());
    NDArray weight = net.conv(l).getParameters().get("weight").getArray();
    NDArray bias = net.conv(l).getParameters().get("bias").getArray();
    tally.executed(GatedConv3d.executedMacs(g, kc.length, kt.length, conv2d),
        GatedConv3d.executedElements(g, kc.length, kt.length, conv2d) * BYTES);
    NDManager sm = x.getManager();
    if (kt.length == 0 || kc.length == 0) {
      tally.features(0, g.inputElements());
      if (exactAccounting) {
        tally.zeroSkip(new Conv3dCost.Counts(0, 0, 0, 0, 0));
      }
      NDArray y = sm.zeros(new Shape(1, g.cOut(), g.tOut(), g.hOut(), g.wOut())).add(bias.reshape(1, g.cOut(), 1, 1, 1));
      return ai.djl.nn.Activation.relu(y);
    }
    NDArray xs = x;
    if (kc.length < g.cIn()) {
      xs = xs.get(new NDIndex(":, {}", sm.create(kc)));
    }
    if (kt.length < g.t()) {
      xs = xs.get(new NDIndex(":, :, {}", sm.create(kt)));
    }
    if (th.feature() > 0) {
      xs = xs.mul(xs.abs().gte(th.feature() * m));
    }
    if (exactAccounting) {
      Conv3dCost.Counts zc = zeroSkipCounts(l, xs, new int[][] {kc, kt});
      tally.zeroSkip(zc);
      tally.features(zc.activationReads(), g.inputElements());
    }
    return ai.djl.nn.Activation.relu(GatedConv3d.forward(xs, weight, bias, kc, kt, g, conv2d));
  }

  /** Exact zero-skipping counts of conv {@code l} for its (possibly gathered) input. */
  private Conv3dCost.Counts zeroSkipCounts(int l, NDArray xs, int[][] kept) {
    Conv3dGeometry g = geoms.get(l);
    NDArray nz = xs.neq(0f).toType(DataType.INT32, false);
    NDArray tw = touch[l];
    if (kept != null && kept[1].length < g.t()) {
      tw = tw.get(new NDIndex("{}", xs.getManager().create(kept[1])));
    }
    long touched = nz.sum(new int[] {0, 1}).mul(tw).sum().toType(DataType.INT64, false).getLong();
    float[] perCt = nz.sum(new int[] {0, 3, 4}).toType(DataType.FLOAT32, false).toFloatArray();
    long tk = nz.getShape().get(2);
    int ck = (int) nz.getShape().get(1);
    long nnz = 0;
    int channelsWithKept = 0;
    boolean[] frameHasKept = new boolean[g.t()];
    for (int c = 0; c < ck; c++) {
      boolean any = false;
      for (int t = 0; t < tk; t++) {
        float v = perCt[(int) (c * tk + t)];
        if (v > 0) {
          nnz += (long) v;
          any = true;
          frameHasKept[kept == null ? t : kept[1][t]] = true;
        }
      }
      if (any) {
        channelsWithKept++;
      }
    }
    long writes = (long) g.cOut() * Conv3dCost.outputFramesTouched(g, frameHasKept) * g.hOut() * g.wOut();
    return new Conv3dCost.Counts(g.cOut() * touched, nnz, (long) g.cOut() * channelsWithKept * g.kernelVolume(),
        writes, 0);
  }

  private static int[] keptIndices(float[] score, float threshold) {
    int n = 0;
    for (float s : score) {
      if (s >= threshold) {
        n++;
      }
    }
    int[] out = new int[n];
    int j = 0;
    for (int i = 0; i < score.length; i++) {
      if (score[i] >= threshold) {
        out[j++] = i;
      }
    }
    return out;
  }

  /** Releases the runner's constants (the net's parameters are not touched). */
  @Override
  public void close() {
    manager.close();
  }

  /** Builder: {@link #setNet}, {@link #setClipShape} and {@link #setRunningMeans} are required. */
  public static final class Builder {
    private DanceNet net;
    private Shape clip;
    private float[] mu;
    private AapController controller;
    private String[] gatedLayers;
    private boolean exactAccounting = true;
    private boolean conv2d;

    private Builder() {}

    /** The trained, initialised net. */
    public Builder setNet(DanceNet net) {
      this.net = net;
      return this;
    }

    /** Shape of one clip {@code [C, T, H, W]}. */
    public Builder setClipShape(Shape clip) {
      this.clip = clip;
      return this;
    }

    /** Running mean of {@code |x|} at the input of conv2..convL ({@code L - 1} values, each {@code > 0}). */
    public Builder setRunningMeans(float... mu) {
      this.mu = mu.clone();
      return this;
    }

    /** The trained controller (needed for {@link DanceRunner#gated(float[])}). */
    public Builder optController(AapController controller) {
      this.controller = controller;
      return this;
    }

    /** Names of the layers to gate (default all of {@code conv2..convL}). */
    public Builder optGatedLayers(String... names) {
      this.gatedLayers = names.clone();
      return this;
    }

    /** Whether to compute the exact zero-skipping counters per clip (default true; costs a few engine reductions). */
    public Builder optExactAccounting(boolean exact) {
      this.exactAccounting = exact;
      return this;
    }

    /**
     * Whether every conv (dense and gated paths alike) runs as the exact conv2d + placement-matmul
     * decomposition of {@link GatedConv3d} instead of the engine's {@code conv3d} (default false). The
     * results are identical; on libtorch 2.7.1 CPU the decomposition was slower than {@code conv3d} for
     * the study's net (5.0 vs 2.7 ms per dense clip). Compare dense and gated times with the same choice.
     */
    public Builder optConv2dKernels(boolean conv2d) {
      this.conv2d = conv2d;
      return this;
    }

    /**
     * Builds the runner after validating everything.
     *
     * @throws IllegalArgumentException naming the layer or value at fault: a gated layer that is not a
     *     Conv3d or is the first conv, a running mean that is not finite and positive, a controller with
     *     the wrong number of gates, an uninitialised net
     */
    public DanceRunner build() {
      Objects.requireNonNull(net, "net");
      Objects.requireNonNull(clip, "clip shape");
      Objects.requireNonNull(mu, "running means");
      if (!net.isInitialized()) {
        throw new IllegalArgumentException("DanceNet is not initialised (train or initialise it first)");
      }
      int l = net.numConvs();
      if (mu.length != l - 1) {
        throw new IllegalArgumentException("need " + (l - 1) + " running means (conv2..conv" + l + "), got " + mu.length);
      }
      for (int i = 0; i < mu.length; i++) {
        if (!Float.isFinite(mu[i]) || mu[i] <= 0) {
          throw new IllegalArgumentException("running mean of conv" + (i + 2) + " input must be finite and > 0, got "
              + mu[i]);
        }
      }
      if (controller != null && controller.gates() != l - 1) {
        throw new IllegalArgumentException("controller has " + controller.gates() + " gates, net needs " + (l - 1));
      }
      boolean[] g = new boolean[l];
      String[] names = gatedLayers;
      if (names == null) {
        Arrays.fill(g, 1, l, true);
      } else {
        for (String n : names) {
          Block b = resolve(n);
          if (b == net.conv(0)) {
            throw new IllegalArgumentException("layer 'conv1' cannot be gated: its output feeds the AAP controller");
          }
          Conv3dGeometry.requireGateable(n, b);
          g[Integer.parseInt(n.substring(4)) - 1] = true;
        }
      }
      geometries(net, clip); // validates every conv for this clip shape
      return new DanceRunner(this, g);
    }

    private Block resolve(String name) {
      if ("fc".equals(name)) {
        return net.linear();
      }
      if (name != null && name.matches("conv[1-9][0-9]*")) {
        int i = Integer.parseInt(name.substring(4));
        if (i <= net.numConvs()) {
          return net.conv(i - 1);
        }
      }
      throw new IllegalArgumentException("unknown layer '" + name + "'; layers are conv1..conv" + net.numConvs() + ", fc");
    }
  }
}
