/**
 * The benchmark harness behind {@code prunekit bench}: a sweep over models, pruning methods, targets,
 * batch sizes and execution engines ({@link org.prunekit.bench.harness.SweepSpec}), run by {@link
 * org.prunekit.bench.harness.Harness}, with every pruned model compared to its dense baseline
 * measured in the same run, and reports as JSON ({@link org.prunekit.bench.harness.JsonReport}) and
 * HTML with PNG plots ({@link org.prunekit.bench.harness.HtmlReport}).
 *
 * <p>Engines are pluggable: implement {@link org.prunekit.bench.harness.Engine} and register it with
 * {@code META-INF/services/org.prunekit.bench.harness.Engine} (or {@link
 * org.prunekit.bench.harness.Engines#register}). Built in: {@code djl} (DJL PyTorch, through the
 * graph interpreter) and {@code ort} (ONNX Runtime on the exported ONNX model).
 *
 * <p>Latency figures from the harness are wall-clock medians of repeated forward passes: quick,
 * comparable within one run, noisier than the JMH suite in {@code org.prunekit.bench}.
 */
package org.prunekit.bench.harness;
