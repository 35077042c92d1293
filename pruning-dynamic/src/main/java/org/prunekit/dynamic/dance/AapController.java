package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DANCE step 2, the AAP controller (spec §3.1, PROPOSAL implemented as written): an MLP {@code z →
 * 64 → 64 → 3G} with ReLU and a final sigmoid, reading {@code z} = per-channel mean and std of
 * {@code |a_1|} and per-frame mean of {@code |a_1|} ({@code 2 C_1 + T_1} values) of the first conv
 * layer's output, and giving per gated layer the frame, channel and feature thresholds {@code
 * sigmoid(.) * scale_kind} in units of {@code μ_l}. Output layout {@code [B, 3G]}: {@code [frame_g,
 * channel_g, feature_g]} for gate {@code g}.
 *
 * <p>Deviation from the spec's {@code 3L}: the controller sees the first conv's output, so the first
 * conv's input (the clip) cannot be gated by it; it emits thresholds for the {@code G = L - 1}
 * convs after the first.
 */
public final class AapController extends AbstractBlock {
  private final int gates;
  private final float[] scales;
  private final Linear fc1;
  private final Linear fc2;
  private final Linear fc3;

  /**
   * A controller.
   *
   * @param gates number of gated layers {@code G >= 1}
   * @param frameScale upper end of frame thresholds, in {@code (0, LayerThresholds.MAX]}
   * @param channelScale upper end of channel thresholds
   * @param featureScale upper end of feature thresholds
   */
  public AapController(int gates, float frameScale, float channelScale, float featureScale) {
    if (gates < 1) {
      throw new IllegalArgumentException("AAP controller needs >= 1 gated layer, got " + gates);
    }
    float[] s = {frameScale, channelScale, featureScale};
    String[] n = {"frameScale", "channelScale", "featureScale"};
    for (int i = 0; i < 3; i++) {
      if (!Float.isFinite(s[i]) || s[i] <= 0 || s[i] > LayerThresholds.MAX) {
        throw new IllegalArgumentException("AAP " + n[i] + " must be in (0, " + LayerThresholds.MAX + "], got " + s[i]);
      }
    }
    this.gates = gates;
    this.scales = s;
    fc1 = addChildBlock("fc1", Linear.builder().setUnits(64).build());
    fc2 = addChildBlock("fc2", Linear.builder().setUnits(64).build());
    fc3 = addChildBlock("fc3", Linear.builder().setUnits(3L * gates).build());
  }

  /** A controller with the spec's plain sigmoid range {@code (0, 1)} for all three kinds. */
  public AapController(int gates) {
    this(gates, 1f, 1f, 1f);
  }

  /** Number of gated layers. */
  public int gates() {
    return gates;
  }

  /** Number of MACs of one controller evaluation for an input of {@code inputSize} statistics. */
  public long macs(int inputSize) {
    return (long) inputSize * 64 + 64L * 64 + 64L * 3 * gates;
  }

  /** The last linear layer (its bias sets the initial thresholds). */
  public Linear outputLayer() {
    return fc3;
  }

  /**
   * The controller input {@code z [B, 2C + T]} from the first conv's output {@code a1 [B, C, T, H,
   * W]}: per-channel mean of {@code |a1|}, per-channel (population) std, per-frame mean.
   */
  public static NDArray statistics(NDArray a1) {
    NDArray a = a1.abs();
    NDArray chMean = DanceGate.meanOver(a, false, 2, 3, 4);
    NDArray chStd = DanceGate.meanOver(a.sub(DanceGate.meanOver(a, true, 2, 3, 4)).square(), false, 2, 3, 4).sqrt();
    NDArray frMean = DanceGate.meanOver(a, false, 1, 3, 4);
    return NDArrays.concat(new NDList(chMean, chStd, frMean), 1);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray z = inputs.singletonOrThrow();
    NDArray h = Activation.relu(fc1.forward(ps, new NDList(z), training).singletonOrThrow());
    h = Activation.relu(fc2.forward(ps, new NDList(h), training).singletonOrThrow());
    NDArray s = Activation.sigmoid(fc3.forward(ps, new NDList(h), training).singletonOrThrow());
    float[] sc = new float[3 * gates];
    for (int g = 0; g < gates; g++) {
      System.arraycopy(scales, 0, sc, 3 * g, 3);
    }
    return new NDList(s.mul(s.getManager().create(sc)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 3L * gates)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    fc1.initialize(manager, dataType, inputShapes[0]);
    fc2.initialize(manager, dataType, new Shape(b, 64));
    fc3.initialize(manager, dataType, new Shape(b, 64));
  }
}
