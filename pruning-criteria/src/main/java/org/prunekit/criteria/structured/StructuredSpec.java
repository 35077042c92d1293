package org.prunekit.criteria.structured;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to prune structurally and how much: importance, target, ranking and constraints.
 *
 * <pre>{@code
 * StructuredSpec spec = StructuredSpec.builder()
 *     .setImportance("l1")
 *     .setMacBudget(0.5)            // at most 50% of the MACs remain
 *     .optRanking(Ranking.GLOBAL)
 *     .optRoundTo(8)                // remaining widths are multiples of 8
 *     .optMaxRatio(0.8)             // no group loses more than 80% of its units
 *     .optLeaveAlone("stem")        // groups touching node 'stem' are not pruned
 *     .build();
 * }</pre>
 *
 * @param importance scores the units of each group
 * @param target the channel ratio or the parameter / MAC budget
 * @param ranking local (per group) or global
 * @param reduction how member scores are combined within a group
 * @param normalizer how group scores are scaled for global ranking
 * @param roundTo remaining widths are multiples of this (1: no rounding); a group narrower than
 *     {@code roundTo} is not pruned
 * @param maxRatio the largest fraction of units any group may lose, in {@code (0, 1]}
 * @param maxRatios per node name or group root, a tighter maximum ratio for the groups with that
 *     root or that produce the node's outputs (its weight rows, its norm parameters)
 * @param leaveAlone node names or group roots whose groups are not pruned: every parameter of a
 *     named node keeps its shape
 * @param seed seed for the {@code random} importance
 */
public record StructuredSpec(
    GroupImportance importance,
    StructuredTarget target,
    Ranking ranking,
    GroupReduction reduction,
    ScoreNormalizer normalizer,
    int roundTo,
    double maxRatio,
    Map<String, Double> maxRatios,
    Set<String> leaveAlone,
    long seed) {

  /** Validates and copies. */
  public StructuredSpec {
    Objects.requireNonNull(importance, "importance");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(ranking, "ranking");
    Objects.requireNonNull(reduction, "reduction");
    Objects.requireNonNull(normalizer, "normalizer");
    if (roundTo < 1) {
      throw new IllegalArgumentException("roundTo must be >= 1, got " + roundTo);
    }
    checkRatio("max ratio", maxRatio);
    Map<String, Double> mr = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : Objects.requireNonNull(maxRatios, "maxRatios").entrySet()) {
      checkRatio("max ratio of '" + e.getKey() + "'", e.getValue());
      mr.put(Objects.requireNonNull(e.getKey(), "node name"), e.getValue());
    }
    maxRatios = Collections.unmodifiableMap(mr);
    leaveAlone = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(leaveAlone, "leaveAlone")));
  }

  private static void checkRatio(String what, Double r) {
    if (r == null || !(r > 0 && r <= 1)) {
      throw new IllegalArgumentException(what + " must be in (0, 1], got " + r);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** This spec with another target (used by the iterative schedule). */
  public StructuredSpec withTarget(StructuredTarget t) {
    return new StructuredSpec(importance, t, ranking, reduction, normalizer, roundTo, maxRatio, maxRatios,
        leaveAlone, seed);
  }

  /** Builder: {@code setImportance} and one {@code set...} target are required. */
  public static final class Builder {
    private GroupImportance importance;
    private StructuredTarget target;
    private Ranking ranking = Ranking.LOCAL;
    private GroupReduction reduction = GroupReduction.SUM;
    private ScoreNormalizer normalizer = ScoreNormalizer.MEAN;
    private int roundTo = 1;
    private double maxRatio = 1.0;
    private final Map<String, Double> maxRatios = new LinkedHashMap<>();
    private final Set<String> leaveAlone = new LinkedHashSet<>();
    private long seed;

    private Builder() {}

    /** The importance by registry name ({@code l1, l2, bn-scale, taylor, random}). */
    public Builder setImportance(String name) {
      this.importance = GroupImportances.byName(name);
      return this;
    }

    /** The importance instance. */
    public Builder setImportance(GroupImportance importance) {
      this.importance = Objects.requireNonNull(importance, "importance");
      return this;
    }

    /** Remove this fraction of units, in {@code (0, 1)}. */
    public Builder setChannelRatio(double ratio) {
      return setTarget(new StructuredTarget.ChannelRatio(ratio));
    }

    /** Keep at most this fraction of the parameters, in {@code (0, 1]}. */
    public Builder setParamBudget(double keep) {
      return setTarget(new StructuredTarget.ParamBudget(keep));
    }

    /** Keep at most this fraction of the MACs, in {@code (0, 1]}. */
    public Builder setMacBudget(double keep) {
      return setTarget(new StructuredTarget.MacBudget(keep));
    }

    /** The target; a second target replaces the first. */
    public Builder setTarget(StructuredTarget target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** Local (default) or global ranking. */
    public Builder optRanking(Ranking ranking) {
      this.ranking = ranking;
      return this;
    }

    /** Sum (default) or mean over members. */
    public Builder optReduction(GroupReduction reduction) {
      this.reduction = reduction;
      return this;
    }

    /** Normaliser for global ranking (default mean). */
    public Builder optNormalizer(ScoreNormalizer normalizer) {
      this.normalizer = normalizer;
      return this;
    }

    /** Remaining widths are multiples of {@code roundTo} (default 1). */
    public Builder optRoundTo(int roundTo) {
      this.roundTo = roundTo;
      return this;
    }

    /** No group loses more than this fraction of its units (default 1: only one unit must stay). */
    public Builder optMaxRatio(double maxRatio) {
      this.maxRatio = maxRatio;
      return this;
    }

    /**
     * The group producing node {@code nodeOrRoot}'s outputs (or with that root) loses at most {@code
     * maxRatio}; the smaller of this and the global max ratio applies.
     */
    public Builder optMaxRatio(String nodeOrRoot, double maxRatio) {
      this.maxRatios.put(nodeOrRoot, maxRatio);
      return this;
    }

    /** Groups touching these nodes (or with these roots) are not pruned. */
    public Builder optLeaveAlone(String... nodesOrRoots) {
      for (String n : nodesOrRoots) {
        leaveAlone.add(Objects.requireNonNull(n, "node name"));
      }
      return this;
    }

    /** Seed for the random importance (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalArgumentException if the importance or target is missing or a value is out of
     *     range
     */
    public StructuredSpec build() {
      if (importance == null) {
        throw new IllegalArgumentException("structured spec needs an importance (setImportance), one of "
            + GroupImportances.names());
      }
      if (target == null) {
        throw new IllegalArgumentException(
            "structured spec needs a target: setChannelRatio, setParamBudget or setMacBudget");
      }
      return new StructuredSpec(importance, target, ranking, reduction, normalizer, roundTo, maxRatio, maxRatios,
          leaveAlone, seed);
    }
  }
}
