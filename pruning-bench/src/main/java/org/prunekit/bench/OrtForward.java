package org.prunekit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.io.onnx.OnnxExporter;
import org.prunekit.core.tensor.Tensor;

/**
 * Runs a graph exported with {@link OnnxExporter} in ONNX Runtime (CPU execution provider), heap
 * tensor in, heap tensor out: the ONNX counterpart of {@code GraphExecutor.predict}.
 *
 * <p>The session uses {@code intraOpThreads} intra-op threads, one inter-op thread, sequential
 * execution and all graph optimisations (ONNX Runtime folds BatchNorm into the preceding
 * convolution at this level). For a fair comparison with DJL PyTorch, benchmarks pass the same
 * thread count that PyTorch gets ({@link #threadsLikeTorch()}).
 */
public final class OrtForward implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;

  /**
   * Exports {@code graph} to ONNX and opens a session on it.
   *
   * @param graph a graph with exactly one input and one output
   * @param intraOpThreads intra-op threads, at least 1
   * @throws IllegalArgumentException if the graph does not have one input and one output, or the
   *     thread count is below 1
   * @throws IllegalStateException if ONNX Runtime cannot load the exported model
   */
  public OrtForward(Graph graph, int intraOpThreads) {
    Objects.requireNonNull(graph, "graph");
    if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
      throw new IllegalArgumentException("OrtForward needs a graph with one input and one output; this one has "
          + graph.inputs().size() + " input(s) and " + graph.outputs().size() + " output(s)");
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    }
    byte[] model = OnnxExporter.toBytes(graph);
    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(intraOpThreads);
      o.setInterOpNumThreads(1);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      session = env.createSession(model, o);
      inputName = session.getInputNames().iterator().next();
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime could not load the exported model: " + e.getMessage(), e);
    }
  }

  /**
   * The intra-op thread count PyTorch gets in this JVM: system property {@code
   * ai.djl.pytorch.num_threads}, or 2 (the reference machine's cores, as in {@link BenchJvm}) if it
   * is not set. Overriding that property therefore changes both engines together.
   */
  public static int threadsLikeTorch() {
    return Integer.getInteger("ai.djl.pytorch.num_threads", 2);
  }

  /**
   * One forward call: copies {@code input} into a native tensor, runs the session and copies the
   * first output back to the heap.
   *
   * @throws IllegalStateException if ONNX Runtime fails (for example on a wrong input shape)
   */
  public Tensor predict(Tensor input) {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape().toLongArray());
        OrtSession.Result r = session.run(Map.of(inputName, t))) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      FloatBuffer fb = out.getFloatBuffer();
      float[] d = new float[fb.remaining()];
      fb.get(d);
      return new Tensor(Shape.ofLongs(out.getInfo().getShape()), d);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on input '" + inputName + "' of shape "
          + input.shape() + ": " + e.getMessage(), e);
    }
  }

  /** Closes the session (the shared environment stays). */
  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("could not close the ONNX Runtime session", e);
    }
  }
}
