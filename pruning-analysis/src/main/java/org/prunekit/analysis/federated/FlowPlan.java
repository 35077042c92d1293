package org.prunekit.analysis.federated;

import java.util.List;

/**
 * The plan of one flow.
 *
 * @param flow the flow
 * @param path client names from source to destination
 * @param links link indices along the path
 * @param retention retention rate {@code rho} in [0, 1] (fraction of the model's bits sent)
 * @param latencySeconds store-and-forward latency {@code sum_e (rho Q n_e / R_e + d_e)}
 * @param withinBudget whether {@code latencySeconds <= T_max} (up to 1e-9 relative)
 */
public record FlowPlan(Flow flow, List<String> path, List<Integer> links, double retention, double latencySeconds,
    boolean withinBudget) {
  /** Copies the lists and checks the retention range. */
  public FlowPlan {
    path = List.copyOf(path);
    links = List.copyOf(links);
    if (!(retention >= 0 && retention <= 1)) {
      throw new IllegalArgumentException("retention of flow " + flow + " outside [0, 1]: " + retention);
    }
  }

  /** Number of hops. */
  public int hops() {
    return links.size();
  }
}
