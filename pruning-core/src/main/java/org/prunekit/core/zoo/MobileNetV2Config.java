package org.prunekit.core.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a MobileNetV2-style network built by {@link ModelZoo#mobileNetV2(MobileNetV2Config)}:
 * a 3x3 conv-bn-relu stem, stages of inverted residual blocks, a 1x1 conv-bn-relu head, global
 * average pooling and a linear classifier.
 *
 * <pre>{@code
 * MobileNetV2Config c = MobileNetV2Config.builder()
 *     .optStem(16)
 *     .optStages(new MobileNetV2Config.Stage(1, 8, 1, 1), new MobileNetV2Config.Stage(4, 16, 2, 2))
 *     .optLastWidth(64)
 *     .build();
 * }</pre>
 *
 * @param stemWidth channels of the stem convolution
 * @param stages the inverted residual stages, in order
 * @param lastWidth channels of the final 1x1 convolution
 * @param inChannels image channels
 * @param imageSize image height and width
 * @param classes classifier outputs
 * @param seed parameter initialisation seed
 */
public record MobileNetV2Config(
    int stemWidth, List<Stage> stages, int lastWidth, int inChannels, int imageSize, int classes, long seed) {

  /**
   * One stage of inverted residual blocks (the {@code t, c, n, s} rows of the MobileNetV2 paper).
   *
   * @param expansion expansion factor {@code t}: the hidden width is {@code t} times the block's
   *     input channels; 1 means no expansion convolution
   * @param outChannels output channels {@code c} of every block of the stage
   * @param repeats number of blocks {@code n}
   * @param stride stride {@code s} of the stage's first block (1 or 2); the others have stride 1
   */
  public record Stage(int expansion, int outChannels, int repeats, int stride) {
    /** Validates the stage. */
    public Stage {
      ZooChecks.positive("mobilenetv2 stage", "expansion", expansion);
      ZooChecks.positive("mobilenetv2 stage", "outChannels", outChannels);
      ZooChecks.positive("mobilenetv2 stage", "repeats", repeats);
      if (stride != 1 && stride != 2) {
        throw new IllegalArgumentException("mobilenetv2 stage: stride must be 1 or 2, got " + stride);
      }
    }
  }

  /** Validates the sizes. */
  public MobileNetV2Config {
    stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("mobilenetv2: at least one stage is needed");
    }
    ZooChecks.positive("mobilenetv2", "stemWidth", stemWidth);
    ZooChecks.positive("mobilenetv2", "lastWidth", lastWidth);
    ZooChecks.positive("mobilenetv2", "inChannels", inChannels);
    ZooChecks.positive("mobilenetv2", "imageSize", imageSize);
    ZooChecks.positive("mobilenetv2", "classes", classes);
  }

  /**
   * A builder with small defaults: stem 16; stages (1, 8, 1, 1), (4, 16, 2, 2), (4, 24, 2, 2); last
   * width 64; 3x32x32 input; 10 classes.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MobileNetV2Config}; every setting is optional. */
  public static final class Builder {
    private int stem = 16;
    private List<Stage> stages = List.of(new Stage(1, 8, 1, 1), new Stage(4, 16, 2, 2), new Stage(4, 24, 2, 2));
    private int last = 64;
    private int inChannels = 3;
    private int imageSize = 32;
    private int classes = 10;
    private long seed = 42;

    private Builder() {}

    /** Stem channels (default 16). */
    public Builder optStem(int width) {
      this.stem = width;
      return this;
    }

    /** The stages (default three, see {@link MobileNetV2Config#builder()}). */
    public Builder optStages(Stage... stages) {
      this.stages = new ArrayList<>(List.of(stages));
      return this;
    }

    /** Channels of the final 1x1 convolution (default 64). */
    public Builder optLastWidth(int width) {
      this.last = width;
      return this;
    }

    /** Image channels and size (default 3 and 32). */
    public Builder optInput(int channels, int size) {
      this.inChannels = channels;
      this.imageSize = size;
      return this;
    }

    /** Classifier outputs (default 10). */
    public Builder optClasses(int classes) {
      this.classes = classes;
      return this;
    }

    /** Initialisation seed (default 42). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validates and builds the configuration. */
    public MobileNetV2Config build() {
      return new MobileNetV2Config(stem, stages, last, inChannels, imageSize, classes, seed);
    }
  }
}
