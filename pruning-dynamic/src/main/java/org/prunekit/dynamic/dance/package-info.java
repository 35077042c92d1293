/**
 * DANCE (spec {@code algorithms.md} §3.1): input-aware frame, channel and feature gating of 3D
 * convolutions. {@link org.prunekit.dynamic.dance.AvaLoss} (step 1, activation-variability
 * fine-tuning), {@link org.prunekit.dynamic.dance.AapController} and {@link
 * org.prunekit.dynamic.dance.AapTrainingBlock} (step 2, the controller trained with the backbone
 * frozen), {@link org.prunekit.dynamic.dance.DanceRunner} (gated execution that gathers kept frames
 * and channels on the DJL PyTorch engine, with a per-clip {@link org.prunekit.dynamic.InferenceCost}),
 * {@link org.prunekit.dynamic.dance.Conv3dCost} (exact MAC / memory-access accounting with edge
 * effects), and {@link org.prunekit.dynamic.dance.MovingDigits} (the moving-MNIST task). The spec
 * marks every DANCE formula as a PROPOSAL; deviations are documented where they occur and in {@code
 * docs/dynamic-dance.md}.
 */
package org.prunekit.dynamic.dance;
