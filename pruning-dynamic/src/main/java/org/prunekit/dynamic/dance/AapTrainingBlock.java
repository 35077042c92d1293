package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.util.PairList;
import java.util.List;

/**
 * The AAP training graph: the frozen {@link DanceNet} with straight-through hard masks ({@link
 * DanceGate#straightThroughMask}) on the inputs of convs {@code 2..L}, driven by the {@link
 * AapController}. Returns {@code [logits, macRatio [B]]} where {@code macRatio} is the exact
 * zero-skipping MAC count ({@link Conv3dCost}, edge effects included, ReLU zeros skipped) of the
 * whole net divided by the all-kept count; {@link #loss} is {@code CE + λ_mac * mean(macRatio)}.
 *
 * <p>Construct, then {@code initialize}; the backbone's parameters are frozen by the constructor
 * (call {@code net.freezeParameters(false)} afterwards to train it again).
 */
public final class AapTrainingBlock extends AbstractBlock {
  private final DanceNet net;
  private final AapController controller;
  private final float[] mu;
  private final List<Conv3dGeometry> geoms;
  private final float temperature;
  private final long constantMacs;
  private final long allKeptMacs;
  private final long denseConst;
  private final long denseAll;
  private MacCostTarget target = MacCostTarget.ZERO_SKIP;

  /**
   * A training graph.
   *
   * @param net the trained backbone (frozen here)
   * @param controller the controller to train ({@code G = L - 1} gates)
   * @param mu running mean {@code |x|} of each gated layer's input
   * @param clip shape of one clip {@code [C, T, H, W]}
   * @param temperature width of the straight-through sigmoid, in units of {@code μ} ({@code > 0})
   */
  public AapTrainingBlock(DanceNet net, AapController controller, float[] mu, Shape clip, float temperature) {
    if (controller.gates() != net.numConvs() - 1 || mu.length != controller.gates()) {
      throw new IllegalArgumentException("controller has " + controller.gates() + " gates and mu " + mu.length
          + " entries; the net needs " + (net.numConvs() - 1));
    }
    if (!(temperature > 0) || !Float.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
    }
    this.net = addChildBlock("net", net);
    this.controller = addChildBlock("controller", controller);
    this.mu = mu.clone();
    this.geoms = DanceRunner.geometries(net, clip);
    this.temperature = temperature;
    long c = Conv3dCost.allKept(geoms.get(0)).macs() + DanceRunner.headMacs(net);
    long all = c;
    for (int g = 1; g < geoms.size(); g++) {
      all += Conv3dCost.allKept(geoms.get(g)).macs();
    }
    this.constantMacs = c;
    this.allKeptMacs = all;
    long dc = Conv3dCost.dense(geoms.get(0)).macs() + DanceRunner.headMacs(net);
    long da = dc;
    for (int g = 1; g < geoms.size(); g++) {
      da += Conv3dCost.dense(geoms.get(g)).macs();
    }
    this.denseConst = dc;
    this.denseAll = da;
    net.freezeParameters(true);
  }

  /** Chooses the MAC count of the cost term (default {@link MacCostTarget#ZERO_SKIP}, the spec's). */
  public AapTrainingBlock optCostTarget(MacCostTarget target) {
    this.target = java.util.Objects.requireNonNull(target, "target");
    return this;
  }

  /** The AAP loss {@code CE(logits) + λ_mac * mean(macRatio)}. */
  public static Loss loss(float lambdaMac) {
    if (!Float.isFinite(lambdaMac) || lambdaMac < 0) {
      throw new IllegalArgumentException("lambda_mac must be finite and >= 0, got " + lambdaMac);
    }
    SoftmaxCrossEntropyLoss ce = new SoftmaxCrossEntropyLoss("ce");
    return new Loss("aap") {
      @Override
      public NDArray evaluate(NDList labels, NDList predictions) {
        return ce.evaluate(labels, new NDList(predictions.get(0))).add(predictions.get(1).mean().mul(lambdaMac));
      }
    };
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x0 = inputs.singletonOrThrow();
    NDManager m = x0.getManager();
    NDArray a = net.stage(ps, 0, x0, training);
    NDArray tau = controller.forward(ps, new NDList(AapController.statistics(a)), training).singletonOrThrow();
    NDArray x = net.poolAfter(0) ? DanceNet.pool(a) : a;
    long batch = x0.getShape().get(0);
    NDArray used = m.zeros(new Shape(batch)).add((float) constantMacs);
    NDArray executed = m.zeros(new Shape(batch)).add((float) denseConst);
    for (int l = 1; l < net.numConvs(); l++) {
      int g = l - 1;
      Conv3dGeometry geo = geoms.get(l);
      NDArray th = tau.get(":, " + (3 * g) + ":" + (3 * g + 3));
      NDList f = DanceGate.straightThroughFactors(x, th, mu[g], temperature);
      NDArray mask = f.get(0).mul(f.get(1)).mul(f.get(2));
      NDArray nonzero = x.abs().gt(0f).toType(DataType.FLOAT32, false);
      NDArray touch = m.create(Conv3dCost.touchWeights(geo), new Shape(geo.t(), geo.h(), geo.w()));
      NDArray macs = mask.mul(nonzero).sum(new int[] {1}).mul(touch).sum(new int[] {1, 2, 3}).mul((float) geo.cOut());
      used = used.add(macs);
      // executed work of a dense kernel on the gathered tensor: dense * frames kept * channels kept
      NDArray frameKept = f.get(1).reshape(batch, -1).mean(new int[] {1});
      NDArray chanKept = f.get(2).reshape(batch, -1).mean(new int[] {1});
      executed = executed.add(frameKept.mul(chanKept).mul((float) Conv3dCost.dense(geo).macs()));
      a = net.stage(ps, l, x.mul(mask), training);
      x = net.poolAfter(l) ? DanceNet.pool(a) : a;
    }
    NDArray logits = net.head(ps, x, training);
    NDArray zeroSkipRatio = used.div((float) allKeptMacs);
    NDArray executedRatio = executed.div((float) denseAll);
    NDArray ratio = switch (target) {
      case ZERO_SKIP -> zeroSkipRatio;
      case EXECUTED -> executedRatio;
      case BOTH -> zeroSkipRatio.add(executedRatio).div(2f);
    };
    return new NDList(logits, ratio);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {new Shape(b, net.numClasses()), new Shape(b)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (!net.isInitialized()) {
      net.initialize(manager, dataType, inputShapes);
    }
    Shape s = inputShapes[0];
    controller.initialize(manager, dataType, new Shape(s.get(0), 2L * net.channels(0) + s.get(2)));
  }
}
