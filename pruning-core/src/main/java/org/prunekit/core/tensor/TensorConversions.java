package org.prunekit.core.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.prunekit.core.graph.Shape;

/**
 * The one place where heap tensors meet engine arrays. Every method copies; ownership of a
 * returned engine array passes to the caller (DJL arrays belong to the given manager).
 */
public final class TensorConversions {
  private TensorConversions() {}

  /** Copies a heap tensor into a DJL array owned by {@code manager}. */
  public static NDArray toDjl(NDManager manager, TensorData t) {
    return manager.create(t.toFloatArray(), new ai.djl.ndarray.types.Shape(t.shape().toLongArray()));
  }

  /** Copies a DJL array (any numeric type) into a heap tensor. */
  public static Tensor fromDjl(NDArray a) {
    NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    Tensor t = new Tensor(Shape.ofLongs(a.getShape().getShape()), f.toFloatArray());
    if (f != a) {
      f.close();
    }
    return t;
  }

  /** Copies a heap tensor into a new ND4J float array (c order). */
  public static INDArray toNd4j(TensorData t) {
    return Nd4j.create(t.toFloatArray(), t.shape().toLongArray(), 'c');
  }

  /** Copies an ND4J array into a heap tensor. */
  public static Tensor fromNd4j(INDArray a) {
    INDArray c = a.dup('c');
    Tensor t = new Tensor(Shape.ofLongs(a.shape()), c.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat());
    c.close();
    return t;
  }

  /** A {@link TensorData} view of an ND4J array (values copied on {@code toFloatArray}). */
  public static TensorData view(INDArray a) {
    return new TensorData() {
      @Override
      public Shape shape() {
        return Shape.ofLongs(a.shape());
      }

      @Override
      public float[] toFloatArray() {
        return fromNd4j(a).data();
      }
    };
  }

  /** A {@link TensorData} view of a DJL array (values copied on {@code toFloatArray}). */
  public static TensorData view(NDArray a) {
    return new TensorData() {
      @Override
      public Shape shape() {
        return Shape.ofLongs(a.getShape().getShape());
      }

      @Override
      public float[] toFloatArray() {
        return fromDjl(a).data();
      }
    };
  }
}
