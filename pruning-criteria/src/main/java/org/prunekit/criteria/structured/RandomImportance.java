package org.prunekit.criteria.structured;

import java.util.SplittableRandom;
import org.prunekit.core.structure.PruningGroup;

/**
 * {@code "random"}: a baseline; every unit gets a uniform score in {@code [0, 1)} drawn from a
 * generator seeded with the context's seed and the group's root, so the same seed and graph give
 * the same scores. Reduction does not apply.
 */
public class RandomImportance implements GroupImportance {
  @Override
  public String name() {
    return "random";
  }

  @Override
  public double[] score(PruningGroup group, GroupScoringContext context) {
    SplittableRandom r = new SplittableRandom(context.seed() * 0x9E3779B97F4A7C15L + group.root().hashCode());
    double[] s = new double[group.size()];
    for (int u = 0; u < s.length; u++) {
      s[u] = r.nextDouble();
    }
    return s;
  }
}
