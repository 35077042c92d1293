/**
 * A model zoo of small, typical architectures built as PruneKit graphs, for showing and testing
 * structural pruning on real patterns: {@link org.prunekit.core.zoo.ModelZoo#resnet} (CIFAR-style
 * ResNet with stride-2 projection shortcuts), {@link org.prunekit.core.zoo.ModelZoo#mobileNetV2}
 * (depthwise convolutions and inverted residuals), {@link org.prunekit.core.zoo.ModelZoo#vit} (a
 * small vision transformer, with a grouped-query variant) and {@link
 * org.prunekit.core.zoo.ModelZoo#leNet} (LeNet-5 for MNIST).
 *
 * <p>Every builder takes a configuration record (widths, depth, classes, seed) and initialises
 * parameters deterministically from the seed. The models are untrained.
 */
package org.prunekit.core.zoo;
