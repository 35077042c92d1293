package org.prunekit.cli;

import java.util.Locale;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.eval.LossResult;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.Provenance;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.calibration.CalibrationMode;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.llm.LlmPruning;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.sparsegpt.SparseGptCriterion;

/**
 * {@code prunekit prune --llama2c}: the recipe of docs/llm.md ({@link LlmPruning}) on a llama2.c
 * character model: validation loss before, calibration windows from the training split (seeded),
 * block-by-block pruning, validation loss after, a {@code .pkm} with masks and provenance.
 */
final class Llama2cPrune {
  private final PruneCommand c;

  Llama2cPrune(PruneCommand c) {
    this.c = c;
  }

  int run() throws Exception {
    NmPattern nm = c.pattern == null ? null : NmPattern.fromNvidia(c.pattern);
    if (nm == null && c.sparsity == null) {
      throw new IllegalArgumentException("--sparsity or --pattern N:M is required");
    }
    if (nm != null && c.sparsity != null) {
      throw new IllegalArgumentException("--sparsity and --pattern exclude each other (the pattern fixes the sparsity)");
    }
    if (c.data != null || c.channels != null || c.params != null || c.macs != null) {
      throw new IllegalArgumentException("--data, --channels, --params and --macs do not apply to --llama2c");
    }
    CalibrationMode mode = parseMode(c.mode);
    // "ria-reallocation" is RIA with N:M channel reallocation inside the sequential procedure.
    boolean realloc = LlmPruning.isReallocation(c.criterion);
    Criterion criterion = Criteria.byName(realloc ? "ria" : c.criterion);
    String method = realloc ? c.criterion : criterion.name();
    Llama2cFiles f = Llama2cFiles.open(c.llama2c, c.text, c.vocab, c.seq);
    Graph g = f.graph();
    TokenWindows val = f.validation(c.windows);
    LossResult before = Llama2cFiles.loss(g, val, 64);
    // Weight-only criteria need no calibration; activation-aware ones and SparseGPT do.
    boolean calibrate = !criterion.requirements().isEmpty() || criterion.name().equals(SparseGptCriterion.NAME);
    CalibrationSet cal = calibrate ? CalibrationSet.randomWindows(f.corpus.train(), f.seq, c.calibration, c.seed) : null;
    long start = System.nanoTime();
    SequentialResult r = LlmPruning.prune(g, method, c.sparsity == null ? 0 : c.sparsity, nm,
        c.scope == null ? null : PruneCommand.parseScope(c.scope), mode, cal);
    double seconds = (System.nanoTime() - start) / 1e9;
    LossResult after = Llama2cFiles.loss(g, val, 64);
    Provenance p = r.provenance()
        .optSetting("source", c.llama2c.getFileName().toString())
        .optSetting("text", c.text.getFileName().toString())
        .optSetting("seq", Integer.toString(f.seq))
        .optSetting("val_loss_before", String.format(Locale.ROOT, "%.6f", before.nll()))
        .optSetting("val_loss_after", String.format(Locale.ROOT, "%.6f", after.nll()))
        .optSetting("val_windows", Integer.toString(val.size()))
        .build();
    ModelFiles.save(g, p, c.out);
    String what = nm != null ? nm.keepN() + ":" + nm.groupM() + " (N kept of M)"
        : String.format(Locale.ROOT, "%.1f%% (%s)", 100 * c.sparsity, r.spec().scope().name().toLowerCase(Locale.ROOT));
    c.common.out().printf(Locale.ROOT, "pruned %s with %s at %s, %s, %s calibration; %d of %d block weights masked in %.1f s%n"
        + "validation loss before: %s%nvalidation loss after:  %s%nwrote %s%n",
        c.llama2c.getFileName(), method, what, mode.name().toLowerCase(Locale.ROOT),
        cal == null ? "no" : cal.size() + " windows of " + f.seq + " chars (seed " + c.seed + ")",
        r.report().maskedZeros(), r.report().numel(), seconds,
        Llama2cFiles.describe(before), Llama2cFiles.describe(after), c.out);
    return 0;
  }

  static CalibrationMode parseMode(String s) {
    for (CalibrationMode m : CalibrationMode.values()) {
      if (m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown --mode '" + s + "'; use sequential or dense");
  }
}
