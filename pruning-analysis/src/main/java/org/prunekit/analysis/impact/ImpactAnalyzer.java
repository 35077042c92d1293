package org.prunekit.analysis.impact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every IMPACT metric on one model and data set and returns an {@link ImpactReport}.
 *
 * <ul>
 *   <li>circuit: {@link CircuitDiscovery} on the first (default 128) images of the task classes
 *       (default: class 0);
 *   <li>selectivity: {@link NeuronSelectivity} of every MLP activation (or the chosen layers);
 *   <li>SAE: a {@link BatchTopKSae} per representation layer (default: the residual {@link Add}
 *       after each MLP), dictionary {@code expansion x width}, trained on the token representations
 *       of the first half of the images and evaluated on the second half;
 *   <li>attribution: {@link AttributionFaithfulness} (Chefer-style by default) on the first images.
 * </ul>
 *
 * <pre>{@code
 * ImpactReport r = ImpactAnalyzer.builder().optTaskClasses(0, 1).build().analyze("dense", model, data);
 * }</pre>
 */
public final class ImpactAnalyzer {
  private static final Logger LOG = LoggerFactory.getLogger(ImpactAnalyzer.class);

  private final CircuitDiscovery circuit;
  private final int[] taskClasses;
  private final int taskImages;
  private final List<String> selectivityLayers;
  private final List<String> saeLayers;
  private final int saeExpansion;
  private final int saeK;
  private final int saeSteps;
  private final int attributionImages;
  private final float baseline;
  private final AttributionFaithfulness.Method method;
  private final int batchSize;

  private ImpactAnalyzer(Builder b) {
    this.circuit = b.circuit;
    this.taskClasses = b.taskClasses.clone();
    this.taskImages = b.taskImages;
    this.selectivityLayers = b.selectivityLayers;
    this.saeLayers = b.saeLayers;
    this.saeExpansion = b.saeExpansion;
    this.saeK = b.saeK;
    this.saeSteps = b.saeSteps;
    this.attributionImages = b.attributionImages;
    this.baseline = b.baseline;
    this.method = b.method;
    this.batchSize = b.batchSize;
  }

  /** A builder with the spec defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ImpactAnalyzer}; every setting is optional. */
  public static final class Builder {
    private CircuitDiscovery circuit = CircuitDiscovery.builder().build();
    private int[] taskClasses = {0};
    private int taskImages = 128;
    private List<String> selectivityLayers;
    private List<String> saeLayers;
    private int saeExpansion = 4;
    private int saeK = 8;
    private int saeSteps = 1000;
    private int attributionImages = 100;
    private float baseline;
    private AttributionFaithfulness.Method method = AttributionFaithfulness.Method.CHEFER;
    private int batchSize = 256;

    private Builder() {}

    /** The circuit discovery settings (default: spec defaults). */
    public Builder optCircuit(CircuitDiscovery c) {
      this.circuit = Objects.requireNonNull(c, "circuit");
      return this;
    }

    /** The task: one class or a class pair (default class 0). */
    public Builder optTaskClasses(int... classes) {
      if (classes.length == 0) {
        throw new IllegalArgumentException("task classes: give at least one class");
      }
      this.taskClasses = classes.clone();
      return this;
    }

    /** At most this many task images (the first ones) train the circuit mask (default 128). */
    public Builder optTaskImages(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("task images must be >= 1, got " + max);
      }
      this.taskImages = max;
      return this;
    }

    /** Layers whose neurons' selectivity is measured (default: every MLP activation). */
    public Builder optSelectivityLayers(String... layers) {
      this.selectivityLayers = List.of(layers);
      return this;
    }

    /** Layers whose outputs get an SAE (default: the residual add after each MLP). */
    public Builder optSaeLayers(String... layers) {
      this.saeLayers = List.of(layers);
      return this;
    }

    /** SAE dictionary size as a multiple of the width, and K (defaults 4 and 8). */
    public Builder optSae(int expansion, int k, int steps) {
      if (expansion < 1 || k < 1 || steps < 1) {
        throw new IllegalArgumentException("SAE expansion " + expansion + ", k " + k + " and steps " + steps
            + " must be >= 1");
      }
      this.saeExpansion = expansion;
      this.saeK = k;
      this.saeSteps = steps;
      return this;
    }

    /** Images scored by insertion/deletion and the removed-patch value (defaults 100 and 0). */
    public Builder optAttribution(int images, float baseline) {
      if (images < 1 || !Float.isFinite(baseline)) {
        throw new IllegalArgumentException("attribution images " + images + " must be >= 1 and baseline finite, got "
            + baseline);
      }
      this.attributionImages = images;
      this.baseline = baseline;
      return this;
    }

    /** Attribution method (default {@link AttributionFaithfulness.Method#CHEFER}). */
    public Builder optAttributionMethod(AttributionFaithfulness.Method m) {
      this.method = Objects.requireNonNull(m, "method");
      return this;
    }

    /** Evaluation batch size (default 256). */
    public Builder optBatchSize(int b) {
      if (b < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + b);
      }
      this.batchSize = b;
      return this;
    }

    /** Builds the analyzer. */
    public ImpactAnalyzer build() {
      return new ImpactAnalyzer(this);
    }
  }

  /**
   * Measures everything.
   *
   * @param name a label for the report
   * @param model the model
   * @param data labelled images (every class must occur; at least 2 images for the SAE split)
   * @throws IllegalArgumentException for empty data, unknown layers, a task class without images,
   *     or an SAE k above the dictionary size; nothing is measured then
   */
  public ImpactReport analyze(String name, PatchModel model, ImpactData data) {
    Objects.requireNonNull(model, "model");
    data.requireFits(model);
    if (data.size() < 2) {
      throw new IllegalArgumentException("impact analysis needs at least 2 images (SAE train/test split), got " + data.size());
    }
    Graph g = model.graph();
    CircuitNodes nodes = CircuitNodes.discover(g);
    List<String> selLayers = selectivityLayers != null ? selectivityLayers
        : nodes.mlps().stream().map(CircuitNodes.MlpSite::activation).toList();
    List<String> reps = saeLayers != null ? saeLayers : defaultSaeLayers(g, nodes);
    for (String l : selLayers) {
      ModelRuns.requireLayer(g, l);
    }
    for (String l : reps) {
      ModelRuns.requireLayer(g, l);
    }
    ImpactData task = data.select(taskClasses);
    if (task.size() > taskImages) {
      task = new ImpactData(task.batch(0, taskImages), Arrays.copyOfRange(task.labels(), 0, taskImages), task.classes());
    }
    long t0 = System.nanoTime();
    double acc;
    List<ImpactReport.Sae> sae = new ArrayList<>();
    int half = data.size() / 2;
    ImpactData train = new ImpactData(data.batch(0, half), Arrays.copyOfRange(data.labels(), 0, half), data.classes());
    ImpactData test = new ImpactData(data.batch(half, data.size()), Arrays.copyOfRange(data.labels(), half, data.size()),
        data.classes());
    List<Tensor[]> saeData = new ArrayList<>();
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      acc = ModelRuns.accuracy(ex, model, data, batchSize);
      for (String l : reps) {
        saeData.add(new Tensor[] {ModelRuns.layerOutput(ex, model, train, l, false, batchSize),
            ModelRuns.layerOutput(ex, model, test, l, false, batchSize)});
      }
    }
    for (int i = 0; i < reps.size(); i++) {
      Tensor tr = saeData.get(i)[0];
      int width = tr.shape().get(1);
      BatchTopKSae.Settings s = BatchTopKSae.builder().setDictionarySize(saeExpansion * width).setK(saeK)
          .optSteps(saeSteps).build();
      try (BatchTopKSae ae = s.fit(tr)) {
        sae.add(new ImpactReport.Sae(reps.get(i), width, s.dictionarySize(), saeK, tr.shape().get(0),
            ae.evaluate(saeData.get(i)[1])));
      }
    }
    List<ImpactReport.Selectivity> sel = new ArrayList<>();
    for (String l : selLayers) {
      NeuronSelectivity.LayerSelectivity s = NeuronSelectivity.measure(model, data, l, batchSize);
      sel.add(new ImpactReport.Selectivity(l, s.indices().length, s.mean(), s.median(), s.undefined()));
    }
    CircuitDiscovery.Result c = circuit.discover(model, task);
    AttributionFaithfulness.Score attr = AttributionFaithfulness.evaluate(model, data, attributionImages, baseline, method);
    double secs = (System.nanoTime() - t0) / 1e9;
    LOG.info("IMPACT '{}': accuracy {}, circuit {}/{} nodes, {} edges, {} s", name, acc, c.mask().active(),
        c.mask().total(), c.edges(), secs);
    ImpactReport.Circuit circ = new ImpactReport.Circuit(taskClasses.clone(), task.size(), c.mask().total(),
        c.mask().active(), c.mask().activeHeads(), c.activeFraction(), c.edges(), c.allNodeEdges(), c.softKl(),
        c.binaryKl(), c.steps());
    return new ImpactReport(name, data.size(), acc, blockSparsity(g, nodes), circ, sel, sae, attr, secs);
  }

  /**
   * Top-1 accuracy of a patch model on labelled images.
   *
   * @throws IllegalArgumentException if the data do not fit the model or the batch size is below 1
   */
  public static double accuracy(PatchModel model, ImpactData data, int batchSize) {
    data.requireFits(model);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    try (GraphExecutor ex = GraphExecutor.create(model.graph())) {
      return ModelRuns.accuracy(ex, model, data, batchSize);
    }
  }

  /** The single Add reading each MLP's fc2 (the residual stream after the block), if any. */
  static List<String> defaultSaeLayers(Graph g, CircuitNodes nodes) {
    List<String> out = new ArrayList<>();
    for (CircuitNodes.MlpSite m : nodes.mlps()) {
      List<Node> readers = g.consumers(m.fc2());
      if (readers.size() == 1 && readers.get(0).op() instanceof Add) {
        out.add(readers.get(0).name());
      }
    }
    return out;
  }

  /** Zero fraction of the attention projections and MLP weights (value times mask). */
  static double blockSparsity(Graph g, CircuitNodes nodes) {
    long zeros = 0;
    long total = 0;
    List<String> names = new ArrayList<>();
    for (CircuitNodes.AttentionSite a : nodes.attention()) {
      for (String w : new String[] {"q_weight", "k_weight", "v_weight", "o_weight"}) {
        names.add(a.node() + "." + w);
      }
    }
    for (CircuitNodes.MlpSite m : nodes.mlps()) {
      names.add(m.fc1() + ".weight");
      names.add(m.fc2() + ".weight");
    }
    for (String n : names) {
      for (float v : CircuitEdges.effective(g, n)) {
        zeros += v == 0f ? 1 : 0;
        total++;
      }
    }
    return total == 0 ? 0 : (double) zeros / total;
  }
}
