package org.prunekit.criteria.structured;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What a structural pruning run aims at: a channel ratio (fraction of units removed), a parameter
 * budget or a MAC budget (fractions to keep).
 */
public sealed interface StructuredTarget {
  /** The target's number: the ratio removed or the fraction kept. */
  double value();

  /** The target in words, e.g. {@code "channel ratio 0.5"}. */
  String describe();

  /** {@code x} with up to 6 significant digits and no trailing zeros, e.g. {@code 0.005}. */
  static String plain(double x) {
    return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /**
   * Remove this fraction of the units (channels, neurons, heads) of every prunable group (local
   * ranking) or of all prunable groups together (global ranking).
   *
   * @param ratio in {@code (0, 1)}
   */
  record ChannelRatio(double ratio) implements StructuredTarget {
    /** Validates the ratio. */
    public ChannelRatio {
      if (!(ratio > 0 && ratio < 1)) {
        throw new IllegalArgumentException("channel ratio (fraction of channels removed) must be in (0, 1), got "
            + ratio + (ratio >= 1 ? ": removing every channel would empty the layers" : ""));
      }
    }

    @Override
    public double value() {
      return ratio;
    }

    @Override
    public String describe() {
      return "channel ratio " + plain(ratio);
    }
  }

  /**
   * Keep at most this fraction of the parameters (dense count of every parameter tensor, as {@link
   * org.prunekit.core.cost.CostModel} counts them).
   *
   * @param keep in {@code (0, 1]}
   */
  record ParamBudget(double keep) implements StructuredTarget {
    /** Validates the fraction. */
    public ParamBudget {
      if (!(keep > 0 && keep <= 1)) {
        throw new IllegalArgumentException("parameter budget (fraction of parameters kept) must be in (0, 1], got "
            + keep);
      }
    }

    @Override
    public double value() {
      return keep;
    }

    @Override
    public String describe() {
      return "parameter budget " + plain(keep) + " (keep at most " + plain(100 * keep) + "% of parameters)";
    }
  }

  /**
   * Keep at most this fraction of the dense MACs ({@code --macs 0.5}: at most half the MACs remain).
   *
   * @param keep in {@code (0, 1]}
   */
  record MacBudget(double keep) implements StructuredTarget {
    /** Validates the fraction. */
    public MacBudget {
      if (!(keep > 0 && keep <= 1)) {
        throw new IllegalArgumentException("MAC budget (fraction of MACs kept) must be in (0, 1], got " + keep);
      }
    }

    @Override
    public double value() {
      return keep;
    }

    @Override
    public String describe() {
      return "MAC budget " + plain(keep) + " (keep at most " + plain(100 * keep) + "% of MACs)";
    }
  }
}
