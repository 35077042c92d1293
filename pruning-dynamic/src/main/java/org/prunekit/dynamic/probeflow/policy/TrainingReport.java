package org.prunekit.dynamic.probeflow.policy;

/**
 * What a {@link FlowMatchingTrainer} run did.
 *
 * @param steps optimiser steps attempted
 * @param skippedSteps steps whose update was dropped because a gradient was not finite
 * @param firstLoss mean flow-matching MSE over the first 5% of steps
 * @param finalLoss mean flow-matching MSE over the last 5% of steps
 * @param seconds wall-clock training time
 */
public record TrainingReport(int steps, int skippedSteps, double firstLoss, double finalLoss, double seconds) {}
