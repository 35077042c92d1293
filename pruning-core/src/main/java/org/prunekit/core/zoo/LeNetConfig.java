package org.prunekit.core.zoo;

/**
 * The widths of the LeNet-5 built by {@link ModelZoo#leNet(LeNetConfig)} for 1x28x28 images:
 * conv1 5x5 (padding 2) - relu - maxpool 2 - conv2 5x5 - relu - maxpool 2 - flatten - fc1 - relu -
 * fc2 - relu - fc3.
 *
 * @param conv1 first convolution's channels (classic 6)
 * @param conv2 second convolution's channels (classic 16)
 * @param fc1 first hidden layer's neurons (classic 120)
 * @param fc2 second hidden layer's neurons (classic 84)
 * @param classes classifier outputs
 * @param seed parameter initialisation seed
 */
public record LeNetConfig(int conv1, int conv2, int fc1, int fc2, int classes, long seed) {
  /** Validates the widths. */
  public LeNetConfig {
    ZooChecks.positive("lenet", "conv1", conv1);
    ZooChecks.positive("lenet", "conv2", conv2);
    ZooChecks.positive("lenet", "fc1", fc1);
    ZooChecks.positive("lenet", "fc2", fc2);
    ZooChecks.positive("lenet", "classes", classes);
  }

  /** The classic LeNet-5 widths 6, 16, 120, 84 and 10 classes. */
  public static LeNetConfig classic(long seed) {
    return new LeNetConfig(6, 16, 120, 84, 10, seed);
  }
}
