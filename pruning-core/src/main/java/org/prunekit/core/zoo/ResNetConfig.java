package org.prunekit.core.zoo;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a small CIFAR-style ResNet built by {@link ModelZoo#resnet(ResNetConfig)}: a
 * conv-bn-relu stem as wide as the first stage, then one stage per entry of {@link #stageWidths()},
 * each of {@link #blocksPerStage()} basic blocks; every stage after the first starts with a stride-2
 * block whose shortcut is a 1x1 stride-2 convolution with BatchNorm.
 *
 * <pre>{@code
 * ResNetConfig c = ResNetConfig.builder().optStageWidths(16, 32, 64).optBlocksPerStage(2).build(); // ResNet-14
 * }</pre>
 *
 * @param stageWidths channels per stage (the stem has the first stage's width)
 * @param blocksPerStage basic blocks per stage (1 gives ResNet-8 with three stages, 2 ResNet-14)
 * @param inChannels image channels
 * @param imageSize image height and width
 * @param classes classifier outputs
 * @param seed parameter initialisation seed
 */
public record ResNetConfig(
    List<Integer> stageWidths, int blocksPerStage, int inChannels, int imageSize, int classes, long seed) {

  /** Validates the sizes. */
  public ResNetConfig {
    stageWidths = List.copyOf(stageWidths);
    if (stageWidths.isEmpty()) {
      throw new IllegalArgumentException("resnet: at least one stage width is needed");
    }
    for (int w : stageWidths) {
      if (w < 1) {
        throw new IllegalArgumentException("resnet: stage widths must be positive, got " + stageWidths);
      }
    }
    ZooChecks.positive("resnet", "blocksPerStage", blocksPerStage);
    ZooChecks.positive("resnet", "inChannels", inChannels);
    ZooChecks.positive("resnet", "classes", classes);
    int downsample = 1 << (stageWidths.size() - 1);
    if (imageSize < downsample) {
      throw new IllegalArgumentException("resnet: image size " + imageSize + " is smaller than the total stride "
          + downsample + " of " + stageWidths.size() + " stages");
    }
  }

  /** Depth counted as conv and linear layers on the main path: {@code 2 * stages * blocks + 2}. */
  public int depth() {
    return 2 * stageWidths.size() * blocksPerStage + 2;
  }

  /** A builder with the ResNet-8 defaults: widths 16, 32, 64, one block per stage, 3x32x32, 10 classes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ResNetConfig}; every setting is optional. */
  public static final class Builder {
    private List<Integer> widths = List.of(16, 32, 64);
    private int blocks = 1;
    private int inChannels = 3;
    private int imageSize = 32;
    private int classes = 10;
    private long seed = 42;

    private Builder() {}

    /** Channels per stage (default 16, 32, 64). */
    public Builder optStageWidths(int... widths) {
      List<Integer> l = new ArrayList<>();
      for (int w : widths) {
        l.add(w);
      }
      this.widths = l;
      return this;
    }

    /** Basic blocks per stage (default 1). */
    public Builder optBlocksPerStage(int blocks) {
      this.blocks = blocks;
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
    public ResNetConfig build() {
      return new ResNetConfig(widths, blocks, inChannels, imageSize, classes, seed);
    }
  }
}
