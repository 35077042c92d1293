package org.prunekit.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Client datasets for federated studies: images of an {@link IdxDataset} dealt to clients, either
 * IID (shuffled, equal parts) or label-skewed (McMahan et al.'s shards: sort by label, cut into
 * {@code 2 x clients} shards, deal two random shards per client), plus local SGD with DJL.
 */
public final class ClientShards {
  private final List<float[]> images;
  private final List<int[]> labels;
  private final int rows;
  private final int cols;

  private ClientShards(List<float[]> images, List<int[]> labels, int rows, int cols) {
    this.images = images;
    this.labels = labels;
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * Deals samples {@code [0, clients * perClient)} of {@code data} to {@code clients} clients.
   *
   * @param labelSkew shards by label (non-IID) instead of a shuffled split
   */
  public static ClientShards split(IdxDataset data, int clients, int perClient, boolean labelSkew, long seed) {
    int n = clients * perClient;
    if (clients < 1 || perClient < 1 || n > data.size()) {
      throw new IllegalArgumentException("cannot deal " + clients + " x " + perClient + " samples from "
          + data.size());
    }
    Random rnd = new Random(seed);
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    List<Integer> order = new ArrayList<>(Arrays.asList(idx));
    if (labelSkew) {
      order.sort((a, b) -> Integer.compare(data.label(a), data.label(b)));
    } else {
      Collections.shuffle(order, rnd);
    }
    int shards = labelSkew ? 2 * clients : clients;
    int shardSize = n / shards;
    List<Integer> shardIds = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      shardIds.add(s);
    }
    if (labelSkew) {
      Collections.shuffle(shardIds, rnd);
    }
    int px = data.rows() * data.cols();
    List<float[]> im = new ArrayList<>();
    List<int[]> lb = new ArrayList<>();
    int per = shards / clients;
    for (int c = 0; c < clients; c++) {
      float[] x = new float[per * shardSize * px];
      int[] y = new int[per * shardSize];
      int k = 0;
      for (int s = 0; s < per; s++) {
        int shard = shardIds.get(c * per + s);
        for (int j = 0; j < shardSize; j++) {
          int i = order.get(shard * shardSize + j);
          System.arraycopy(data.image(i), 0, x, k * px, px);
          y[k++] = data.label(i);
        }
      }
      im.add(x);
      lb.add(y);
    }
    return new ClientShards(im, lb, data.rows(), data.cols());
  }

  /** Number of clients. */
  public int clients() {
    return images.size();
  }

  /** Samples of client {@code c}. */
  public int size(int c) {
    return labels.get(c).length;
  }

  /** The distinct labels of client {@code c}, ascending. */
  public int[] distinctLabels(int c) {
    return Arrays.stream(labels.get(c)).distinct().sorted().toArray();
  }

  /**
   * A local-training session bound to {@code graph}: one DJL model and trainer with stateless
   * SGD (fixed learning rate, no momentum, as in FedAvg), reused for every client and round.
   */
  public LocalSgd session(Graph graph, int batchSize, float learningRate) {
    return new LocalSgd(graph, batchSize, learningRate);
  }

  /** Local SGD on the client shards; see {@link #session}. Close it to free native memory. */
  public final class LocalSgd implements AutoCloseable {
    private final Graph graph;
    private final Model model;
    private final GraphBlock block;
    private final Trainer trainer;
    private final int batchSize;

    private LocalSgd(Graph graph, int batchSize, float learningRate) {
      this.graph = graph;
      this.batchSize = batchSize;
      this.model = Model.newInstance("prunekit-fl-client", GraphExecutor.ENGINE);
      this.block = new GraphBlock(graph);
      model.setBlock(block);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build());
      this.trainer = model.newTrainer(config);
      trainer.initialize(new ai.djl.ndarray.types.Shape(batchSize, 1, rows, cols));
    }

    /** The graph this session trains. */
    public Graph graph() {
      return graph;
    }

    /**
     * Trains the bound graph in place on client {@code c}'s samples: {@code epochs} passes in a
     * seeded random order, softmax cross-entropy; starts from the graph's current values.
     */
    public void train(int c, int epochs, long seed) {
      block.syncFromGraph();
      float[] x = images.get(c);
      int[] y = labels.get(c);
      int n = y.length;
      int px = rows * cols;
      Random rnd = new Random(seed);
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int e = 0; e < epochs; e++) {
        for (int i = n - 1; i > 0; i--) {
          int j = rnd.nextInt(i + 1);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
        for (int from = 0; from < n; from += batchSize) {
          int b = Math.min(batchSize, n - from);
          float[] bx = new float[b * px];
          float[] by = new float[b];
          for (int k = 0; k < b; k++) {
            System.arraycopy(x, perm[from + k] * px, bx, k * px, px);
            by[k] = y[perm[from + k]];
          }
          try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray xs = TensorConversions.toDjl(sub, new Tensor(new Shape(b, 1, rows, cols), bx));
            NDArray ys = sub.create(by);
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList pred = trainer.forward(new NDList(xs));
              gc.backward(trainer.getLoss().evaluate(new NDList(ys), pred));
            }
            trainer.step();
          }
        }
      }
      block.syncToGraph();
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }
}
