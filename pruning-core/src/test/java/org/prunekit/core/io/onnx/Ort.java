package org.prunekit.core.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/** Runs ONNX models in ONNX Runtime (the reference implementation) for tests. */
final class Ort implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  Ort(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      o.setInterOpNumThreads(1);
      this.session = env.createSession(model, o);
    }
  }

  /** Runs the model's single input and returns its first output. */
  Tensor run(Tensor input) throws OrtException {
    String name = session.getInputNames().iterator().next();
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape().toLongArray());
        OrtSession.Result r = session.run(Map.of(name, t))) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      long[] shape = out.getInfo().getShape();
      FloatBuffer fb = out.getFloatBuffer();
      float[] d = new float[fb.remaining()];
      fb.get(d);
      return new Tensor(Shape.ofLongs(shape), d);
    }
  }

  /** Runs a model with a fixed batch of 1 sample by sample and stacks the outputs. */
  Tensor runOneByOne(Tensor input) throws OrtException {
    int n = input.shape().get(0);
    int per = Math.toIntExact(input.shape().sizeFrom(1));
    Tensor first = null;
    float[] all = null;
    for (int i = 0; i < n; i++) {
      float[] one = java.util.Arrays.copyOfRange(input.data(), i * per, (i + 1) * per);
      Tensor o = run(new Tensor(input.shape().with(0, 1), one));
      if (first == null) {
        first = o;
        all = new float[o.size() * n];
      }
      System.arraycopy(o.data(), 0, all, i * o.size(), o.size());
    }
    return new Tensor(first.shape().with(0, n), all);
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  /** Largest absolute difference; fails on a shape mismatch. */
  static float maxAbsDiff(Tensor a, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new AssertionError("shapes differ: " + a.shape() + " vs " + b.shape());
    }
    float m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m;
  }
}
