package org.prunekit.core.io;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a saved model was produced: the pruning criterion and its settings, the calibration data
 * (sample count and SHA-256, see {@link CalibrationHash}), the seed, the library versions and the
 * creation time. Saved with the model by {@link ModelFormat}.
 *
 * <pre>{@code
 * Provenance p = Provenance.builder()
 *     .setCriterion("wanda")
 *     .setSeed(42)
 *     .optSetting("sparsity", "0.5")
 *     .optSetting("pattern", "2:4")
 *     .optCalibration(128, hash.hex())
 *     .build();   // versions detected, createdAt = now
 * }</pre>
 *
 * @param criterion the criterion's short name ({@code "magnitude"}, {@code "wanda"}, ...)
 * @param settings targets, sparsity and other settings as strings (unmodifiable, ordered)
 * @param calibrationSamples number of calibration samples, or {@code null} when none were used
 * @param calibrationSha256 lowercase hex SHA-256 of the calibration data, or {@code null} when none
 * @param seed the random seed
 * @param prunekitVersion PruneKit's version
 * @param djlVersion DJL's version
 * @param nd4jVersion ND4J's version
 * @param javaVersion the Java runtime's version
 * @param createdAt when the model was produced
 */
public record Provenance(
    String criterion,
    Map<String, String> settings,
    Integer calibrationSamples,
    String calibrationSha256,
    long seed,
    String prunekitVersion,
    String djlVersion,
    String nd4jVersion,
    String javaVersion,
    Instant createdAt) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Validates the fields. */
  public Provenance {
    Objects.requireNonNull(criterion, "criterion");
    if (criterion.isBlank()) {
      throw new IllegalArgumentException("provenance criterion must not be blank");
    }
    Objects.requireNonNull(settings, "settings");
    Map<String, String> s = new LinkedHashMap<>();
    settings.forEach((k, v) -> s.put(Objects.requireNonNull(k, "setting name"),
        Objects.requireNonNull(v, () -> "value of setting '" + k + "'")));
    settings = Collections.unmodifiableMap(s);
    if ((calibrationSamples == null) != (calibrationSha256 == null)) {
      throw new IllegalArgumentException("calibration sample count and hash must both be given or both be null, got "
          + calibrationSamples + " and " + calibrationSha256);
    }
    if (calibrationSamples != null && calibrationSamples < 0) {
      throw new IllegalArgumentException("calibration sample count must be >= 0, got " + calibrationSamples);
    }
    if (calibrationSha256 != null && !SHA256.matcher(calibrationSha256).matches()) {
      throw new IllegalArgumentException("calibration hash must be 64 lowercase hex digits, got '" + calibrationSha256 + "'");
    }
    Objects.requireNonNull(prunekitVersion, "prunekitVersion");
    Objects.requireNonNull(djlVersion, "djlVersion");
    Objects.requireNonNull(nd4jVersion, "nd4jVersion");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Provenance}: {@code setX} are required, {@code optX} optional. */
  public static final class Builder {
    private String criterion;
    private Long seed;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Integer calibrationSamples;
    private String calibrationSha256;
    private String prunekitVersion = LibraryVersions.prunekit();
    private String djlVersion = LibraryVersions.djl();
    private String nd4jVersion = LibraryVersions.nd4j();
    private String javaVersion = LibraryVersions.java();
    private Instant createdAt;

    private Builder() {}

    /** The criterion's short name (required). */
    public Builder setCriterion(String criterion) {
      this.criterion = criterion;
      return this;
    }

    /** The random seed (required). */
    public Builder setSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Adds one setting (target, sparsity, pattern...). */
    public Builder optSetting(String name, String value) {
      settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds several settings. */
    public Builder optSettings(Map<String, String> more) {
      more.forEach(this::optSetting);
      return this;
    }

    /** The calibration sample count and the SHA-256 of the data ({@link CalibrationHash#hex()}). */
    public Builder optCalibration(int samples, String sha256) {
      this.calibrationSamples = samples;
      this.calibrationSha256 = Objects.requireNonNull(sha256, "sha256");
      return this;
    }

    /** Overrides the detected library versions (e.g. when recording another run's). */
    public Builder optVersions(String prunekit, String djl, String nd4j, String java) {
      this.prunekitVersion = prunekit;
      this.djlVersion = djl;
      this.nd4jVersion = nd4j;
      this.javaVersion = java;
      return this;
    }

    /** The creation time (default: when {@link #build()} runs). */
    public Builder optCreatedAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * Builds the record.
     *
     * @throws IllegalStateException if a required field is missing
     */
    public Provenance build() {
      if (criterion == null) {
        throw new IllegalStateException("Provenance.Builder: setCriterion is required");
      }
      if (seed == null) {
        throw new IllegalStateException("Provenance.Builder: setSeed is required");
      }
      return new Provenance(criterion, settings, calibrationSamples, calibrationSha256, seed, prunekitVersion,
          djlVersion, nd4jVersion, javaVersion, createdAt != null ? createdAt : Instant.now());
    }
  }
}
