/**
 * JMH benchmarks for PruneKit, one concept per class in the style of the JMH samples: each class
 * opens with a comment saying what it measures and why, measures its dense (or streaming) baseline
 * in the same run, and ends with a "how to run" block and a {@code main} method.
 *
 * <p>Build and run (the uber jar is built only with the {@code bench} profile, because it bundles
 * several hundred MB of native libraries):
 *
 * <pre>
 * ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 * java -jar pruning-bench/target/benchmarks.jar MaskedForwardBenchmark
 * </pre>
 *
 * Every fork runs DJL offline with a fixed thread count ({@link org.prunekit.bench.BenchJvm}).
 * Results and the commands that produced them are collected in {@code docs/benchmarks.md}.
 */
package org.prunekit.bench;
