package org.prunekit.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one harness sweep covers: models × (dense baseline + unstructured criteria × sparsities +
 * structured importances × MAC budgets) × engines × batch sizes.
 *
 * @param models model files ({@code .onnx} or PruneKit {@code .pkm}) or built-in names ({@link
 *     ModelSource#BUILT_IN})
 * @param criteria unstructured criteria (e.g. {@code magnitude}), each run at every sparsity
 * @param sparsities unstructured target sparsities, each in [0, 1)
 * @param structuredCriteria structured group importances (e.g. {@code l1}), each run at every MAC budget
 * @param macBudgets structured targets: fraction of MACs to keep, each in (0, 1]
 * @param batchSizes batch sizes for latency, each at least 1
 * @param engines engine names ({@link Engines})
 * @param data IDX directory for accuracy (and calibration), or null for no accuracy
 * @param prefix IDX file prefix of the evaluation set (e.g. {@code t10k})
 * @param limit evaluate only the first {@code limit} images, 0 for all
 * @param calibrationPrefix IDX prefix for calibration samples of criteria that need them
 * @param calibrationSamples calibration samples for such criteria
 * @param warmup untimed forward passes before each latency measurement
 * @param runs timed forward passes per latency measurement
 * @param warmupMillis minimum warm-up time per engine and batch size (all configurations together),
 *     on top of {@code warmup} passes each; lets the JIT compile the kernels before timing
 * @param threads intra-op threads for the engines, 0 for their defaults
 * @param seed seed for random inputs and built-in models
 * @param command the command line recorded in the report (free text, may be empty)
 */
public record SweepSpec(
    List<String> models,
    List<String> criteria,
    List<Double> sparsities,
    List<String> structuredCriteria,
    List<Double> macBudgets,
    List<Integer> batchSizes,
    List<String> engines,
    Path data,
    String prefix,
    int limit,
    String calibrationPrefix,
    int calibrationSamples,
    int warmup,
    int runs,
    double warmupMillis,
    int threads,
    long seed,
    String command) {

  /** Default of {@link Builder#optWarmupMillis}. */
  public static final double DEFAULT_WARMUP_MILLIS = 300;

  /** Validates every field; lists are copied. */
  public SweepSpec {
    models = List.copyOf(Objects.requireNonNull(models, "models"));
    criteria = List.copyOf(criteria);
    sparsities = List.copyOf(sparsities);
    structuredCriteria = List.copyOf(structuredCriteria);
    macBudgets = List.copyOf(macBudgets);
    batchSizes = List.copyOf(batchSizes);
    engines = engines.stream().map(e -> e.trim().toLowerCase(java.util.Locale.ROOT)).distinct().toList();
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(calibrationPrefix, "calibrationPrefix");
    command = command == null ? "" : command;
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one model");
    }
    if (!criteria.isEmpty() && sparsities.isEmpty()) {
      throw new IllegalArgumentException("unstructured criteria " + criteria + " need at least one sparsity");
    }
    if (criteria.isEmpty() && !sparsities.isEmpty()) {
      throw new IllegalArgumentException("sparsities " + sparsities + " given without an unstructured criterion");
    }
    if (!structuredCriteria.isEmpty() && macBudgets.isEmpty()) {
      throw new IllegalArgumentException("structured criteria " + structuredCriteria + " need at least one MAC budget");
    }
    if (structuredCriteria.isEmpty() && !macBudgets.isEmpty()) {
      throw new IllegalArgumentException("MAC budgets " + macBudgets + " given without a structured criterion");
    }
    for (double s : sparsities) {
      if (!(s >= 0 && s < 1)) {
        throw new IllegalArgumentException("sparsity must be in [0, 1), got " + s);
      }
    }
    for (double m : macBudgets) {
      if (!(m > 0 && m <= 1)) {
        throw new IllegalArgumentException("MAC budget (fraction kept) must be in (0, 1], got " + m);
      }
    }
    if (batchSizes.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one batch size");
    }
    for (int b : batchSizes) {
      if (b < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + b);
      }
    }
    if (engines.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one engine");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0 (0 = all images), got " + limit);
    }
    if (calibrationSamples < 1) {
      throw new IllegalArgumentException("calibrationSamples must be at least 1, got " + calibrationSamples);
    }
    if (warmup < 0 || runs < 1) {
      throw new IllegalArgumentException("need warmup >= 0 and runs >= 1, got warmup " + warmup + ", runs " + runs);
    }
    if (!(warmupMillis >= 0) || Double.isInfinite(warmupMillis)) {
      throw new IllegalArgumentException("warmupMillis must be finite and >= 0, got " + warmupMillis);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = engine default), got " + threads);
    }
  }

  /** Number of pruned configurations per model (not counting the dense baseline). */
  public int configurationsPerModel() {
    return criteria.size() * sparsities.size() + structuredCriteria.size() * macBudgets.size();
  }

  /** A builder: {@code setModels} is required, everything else optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SweepSpec}; defaults: engine {@code djl}, batch 1, 3 warm-up and 20 timed runs. */
  public static final class Builder {
    private List<String> models;
    private List<String> criteria = List.of();
    private List<Double> sparsities = List.of();
    private List<String> structuredCriteria = List.of();
    private List<Double> macBudgets = List.of();
    private List<Integer> batchSizes = List.of(1);
    private List<String> engines = List.of(DjlEngine.NAME);
    private Path data;
    private String prefix = "t10k";
    private int limit;
    private String calibrationPrefix = "train";
    private int calibrationSamples = 128;
    private int warmup = 3;
    private double warmupMillis = DEFAULT_WARMUP_MILLIS;
    private int runs = 20;
    private int threads;
    private long seed = 42;
    private String command = "";

    private Builder() {}

    /** Model files or built-in names (required). */
    public Builder setModels(List<String> models) {
      this.models = models;
      return this;
    }

    /** Unstructured criteria and the sparsities each is run at. */
    public Builder optUnstructured(List<String> criteria, List<Double> sparsities) {
      this.criteria = criteria;
      this.sparsities = sparsities;
      return this;
    }

    /** Structured group importances and the MAC budgets (fraction kept) each is run at. */
    public Builder optStructured(List<String> importances, List<Double> macBudgets) {
      this.structuredCriteria = importances;
      this.macBudgets = macBudgets;
      return this;
    }

    /** Batch sizes for latency (default {@code [1]}). */
    public Builder optBatchSizes(List<Integer> batchSizes) {
      this.batchSizes = batchSizes;
      return this;
    }

    /** Engine names (default {@code [djl]}). */
    public Builder optEngines(List<String> engines) {
      this.engines = engines;
      return this;
    }

    /** IDX data for accuracy: directory, prefix and image limit (0 = all). */
    public Builder optData(Path dir, String prefix, int limit) {
      this.data = dir;
      this.prefix = prefix;
      this.limit = limit;
      return this;
    }

    /** Calibration for criteria that need it: IDX prefix in the data directory and sample count. */
    public Builder optCalibration(String prefix, int samples) {
      this.calibrationPrefix = prefix;
      this.calibrationSamples = samples;
      return this;
    }

    /** Untimed and timed forward passes per measurement. */
    public Builder optRuns(int warmup, int runs) {
      this.warmup = warmup;
      this.runs = runs;
      return this;
    }

    /**
     * Minimum warm-up time per engine and batch size, in ms (default {@value #DEFAULT_WARMUP_MILLIS}),
     * spread over the configurations in turn, on top of the warm-up passes.
     */
    public Builder optWarmupMillis(double millis) {
      this.warmupMillis = millis;
      return this;
    }

    /** Intra-op threads for the engines (0 = their defaults). */
    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Seed for random latency inputs and built-in models. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The command line to record in the report. */
    public Builder optCommand(String command) {
      this.command = command;
      return this;
    }

    /** Validates and builds. */
    public SweepSpec build() {
      return new SweepSpec(models, criteria, sparsities, structuredCriteria, macBudgets, batchSizes, engines, data,
          prefix, limit, calibrationPrefix, calibrationSamples, warmup, runs, warmupMillis, threads, seed, command);
    }
  }
}
