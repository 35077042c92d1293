package org.prunekit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.prunekit.core.io.NpyReader;
import org.prunekit.core.io.NpyWriter;
import org.prunekit.core.tensor.ByteMask;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ColumnScaledMagnitude;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.activation.InputNorms;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.pattern.NmSelector;
import org.prunekit.criteria.select.MaskSelector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prunekit mask}: a mask for one weight matrix from {@code .npy} files, so masks can be compared
 * with other tools byte for byte. The mask is a uint8 {@code .npy} of the weight's shape, 1 = keep.
 */
@Command(name = "mask", mixinStandardHelpOptions = true,
    description = {"Compute a pruning mask for one weight (.npy, [out, in] or a conv kernel) and write it as uint8 .npy (1 = keep).",
        "--pattern N:M keeps N of every M consecutive inputs (NVIDIA reading); --pattern-reference N:M prunes N of M (Wanda/RIA reading)."})
final class MaskCommand implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "weight .npy (float), [out, in] or [out, in, k...]")
  Path weights;

  @Option(names = "--activations", description = "calibration inputs .npy [tokens, in] (Wanda, RIA, ...)")
  Path activations;

  @Option(names = "--criterion", required = true, description = "criterion short name (magnitude, wanda, ria, ...)")
  String criterion;

  @Option(names = "--sparsity", description = "fraction to prune in [0, 1) (not with a pattern)")
  Double sparsity;

  @Option(names = "--scope", description = "layer | row (default: the criterion's own: magnitude/ria layer, wanda row)")
  String scope;

  @Option(names = "--threshold", defaultValue = "exact", description = "exact | reference (the reference codes' <= threshold)")
  String threshold;

  @Option(names = "--pattern", description = "N:M semi-structured, N KEPT of every M inputs")
  String pattern;

  @Option(names = "--pattern-reference", description = "N:M semi-structured, N PRUNED of every M (Wanda/RIA reading)")
  String patternReference;

  @Option(names = "--out", required = true, description = "mask .npy to write (uint8, 1 = keep)")
  Path out;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (pattern != null && patternReference != null) {
      throw new IllegalArgumentException("give --pattern or --pattern-reference, not both");
    }
    NmPattern nm = pattern != null ? NmPattern.fromNvidia(pattern)
        : patternReference != null ? NmPattern.fromReference(patternReference) : null;
    if (nm == null && sparsity == null) {
      throw new IllegalArgumentException("--sparsity is required without a pattern");
    }
    if (nm != null && sparsity != null) {
      throw new IllegalArgumentException("--sparsity and an N:M pattern exclude each other (the pattern fixes the sparsity)");
    }
    Criterion c = Criteria.byName(criterion);
    Tensor w = NpyReader.read(weights);
    if (w.shape().rank() < 2) {
      throw new IllegalArgumentException("weights " + weights.getFileName() + " have shape " + w.shape() + "; need [out, in, ...]");
    }
    String name = weights.getFileName().toString();
    int bad = w.firstNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException("weights " + name + " hold " + w.data()[bad] + " at index " + bad + " "
          + org.prunekit.core.mask.Masks.multiIndex(w.shape(), bad) + "; cannot prune non-finite weights");
    }
    ScoringContext.Builder ctx = ScoringContext.builder().setParameterName(name).setWeight(w);
    if (activations != null) {
      ctx.optInputColumnSquaredNorms(InputNorms.fromActivations(name, NpyReader.read(activations)));
    } else if (c.requirements().contains(Criterion.Requirement.INPUT_COLUMN_NORMS)) {
      throw new IllegalArgumentException("criterion '" + c.name() + "' needs calibration inputs: give --activations X.npy");
    }
    ScoringContext context = ctx.build();
    Scope sc = nm != null ? null : scope == null ? c.defaultScope() : PruneCommand.parseScope(scope);
    if (sc == Scope.GLOBAL) {
      sc = Scope.LAYER; // one tensor: global and layer-wise are the same selection
    }
    ByteMask mask;
    if (sc == Scope.ROW && c instanceof ColumnScaledMagnitude f) {
      // |W| * c_j scores (magnitude, Wanda): selected row by row into bytes, no score tensor.
      mask = f.rowMaskBytes(context, sparsity, parseThreshold(threshold));
    } else {
      Tensor scores = c.score(context);
      Tensor m = nm != null ? NmSelector.mask(name, scores, nm)
          : MaskSelector.select(Map.of(name, scores), sparsity, sc, parseThreshold(threshold)).mask(name);
      mask = ByteMask.fromTensor(m);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    NpyWriter.writeU8(out, mask);
    long kept = mask.keptCount();
    common.out().printf(Locale.ROOT, "%s %s: kept %d of %d (sparsity %.4f); wrote %s%n", c.name(),
        nm != null ? nm.keepN() + " of " + nm.groupM() : "", kept, mask.size(),
        1.0 - (double) kept / mask.size(), out);
    return 0;
  }

  private static ThresholdMode parseThreshold(String s) {
    for (ThresholdMode m : ThresholdMode.values()) {
      if (m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown --threshold '" + s + "'; use exact or reference");
  }

}
