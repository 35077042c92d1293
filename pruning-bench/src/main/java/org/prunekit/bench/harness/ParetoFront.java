package org.prunekit.bench.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The Pareto front of points that trade a cost (lower is better: latency, MACs) against a value
 * (higher is better: accuracy). A point is on the front if no other point dominates it, that is, no
 * other point has a cost at most as high and a value at least as high, with one of the two strictly
 * better. Identical points do not dominate each other, so duplicates are all on the front.
 */
public final class ParetoFront {
  private ParetoFront() {}

  /**
   * A point.
   *
   * @param label what the point stands for (a row's model, method and target)
   * @param cost lower is better
   * @param value higher is better
   */
  public record Point(String label, double cost, double value) {
    /** Rejects NaN coordinates. */
    public Point {
      Objects.requireNonNull(label, "label");
      if (Double.isNaN(cost) || Double.isNaN(value)) {
        throw new IllegalArgumentException("Pareto point '" + label + "' has a NaN coordinate: cost " + cost
            + ", value " + value);
      }
    }
  }

  /** True if {@code a} dominates {@code b}. */
  public static boolean dominates(Point a, Point b) {
    return a.cost() <= b.cost() && a.value() >= b.value() && (a.cost() < b.cost() || a.value() > b.value());
  }

  /** The non-dominated points of {@code points}, by increasing cost (then decreasing value). */
  public static List<Point> of(List<Point> points) {
    List<Point> front = new ArrayList<>();
    for (Point p : points) {
      boolean dominated = false;
      for (Point q : points) {
        if (dominates(q, p)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        front.add(p);
      }
    }
    front.sort(Comparator.comparingDouble(Point::cost).thenComparing(Comparator.comparingDouble(Point::value).reversed()));
    return front;
  }
}
