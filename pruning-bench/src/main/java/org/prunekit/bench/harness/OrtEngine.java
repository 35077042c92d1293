package org.prunekit.bench.harness;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.LibraryVersions;
import org.prunekit.core.io.onnx.OnnxExporter;
import org.prunekit.core.tensor.Tensor;

/**
 * ONNX Runtime (CPU execution provider, all graph optimisations) on the model exported by {@link
 * OnnxExporter}: masks are baked into the weights, so like every dense engine it multiplies zeros.
 */
public final class OrtEngine implements Engine {
  /** The registry name. */
  public static final String NAME = "ort";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ONNX Runtime " + version() + " (CPU)";
  }

  @Override
  public String version() {
    Package p = OrtEnvironment.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? LibraryVersions.UNKNOWN : v;
  }

  @Override
  public LatencyProbe open(Graph graph, int threads) {
    Harness.requireSingleInputOutput(graph);
    byte[] model = OnnxExporter.toBytes(graph);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
      }
      OrtSession session = env.createSession(model, options);
      return new Probe(env, session, session.getInputNames().iterator().next());
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime cannot load the exported model: " + e.getMessage(), e);
    }
  }

  private static final class Probe implements LatencyProbe {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;

    Probe(OrtEnvironment env, OrtSession session, String inputName) {
      this.env = env;
      this.session = session;
      this.inputName = inputName;
    }

    @Override
    public double[] timeMillis(Tensor input, int warmup, int runs) {
      double[] t = new double[runs];
      long[] shape = input.shape().toLongArray();
      try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), shape)) {
        Map<String, OnnxTensor> feed = Map.of(inputName, x);
        for (int i = 0; i < warmup; i++) {
          session.run(feed).close();
        }
        for (int i = 0; i < runs; i++) {
          long s = System.nanoTime();
          session.run(feed).close();
          t[i] = (System.nanoTime() - s) / 1e6;
        }
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime run failed for input shape " + input.shape() + ": " + e.getMessage(), e);
      }
      return t;
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
      }
    }
  }
}
