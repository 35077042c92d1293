package org.prunekit.examples;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.cost.CostReport;
import org.prunekit.core.cost.NodeCost;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.mask.SparsityReport;

/**
 * The JSON report of one pruning run: per-layer sparsity, parameters and MACs before and after,
 * totals, and the provenance record.
 */
public final class PruneReport {
  private PruneReport() {}

  /** Builds the report as nested maps (stable key order). */
  public static Map<String, Object> build(CostReport before, CostReport after, SparsityReport sparsity, Provenance p) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> layers = new ArrayList<>();
    for (NodeCost b : before.nodes()) {
      if (b.params() == 0) {
        continue;
      }
      NodeCost a = after.node(b.node());
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("node", b.node());
      l.put("op", b.opType());
      l.put("params", b.params());
      l.put("nonZeroParamsBefore", b.nonZeroParams());
      l.put("nonZeroParamsAfter", a.nonZeroParams());
      l.put("macsBefore", b.effectiveMacs());
      l.put("macsAfter", a.effectiveMacs());
      List<Map<String, Object>> ps = new ArrayList<>();
      for (SparsityReport.Entry e : sparsity.entries()) {
        if (e.name().startsWith(b.node() + ".")) {
          Map<String, Object> pe = new LinkedHashMap<>();
          pe.put("parameter", e.name());
          pe.put("numel", e.numel());
          pe.put("sparsity", e.sparsity());
          pe.put("masked", e.masked());
          ps.add(pe);
        }
      }
      l.put("parameters", ps);
      layers.add(l);
    }
    root.put("layers", layers);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("params", before.total().params());
    totals.put("nonZeroParamsBefore", before.total().nonZeroParams());
    totals.put("nonZeroParamsAfter", after.total().nonZeroParams());
    totals.put("macsBefore", before.total().effectiveMacs());
    totals.put("macsAfter", after.total().effectiveMacs());
    totals.put("denseMacs", before.total().macs());
    totals.put("targetSparsity", sparsity.sparsity());
    root.put("totals", totals);
    root.put("macsCountedFor", "one input sample (batch 1); see docs/accounting.md");
    root.put("provenance", provenance(p));
    return root;
  }

  /** The provenance record as a map (stable key order) for JSON reports. */
  public static Map<String, Object> provenance(Provenance p) {
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("criterion", p.criterion());
    prov.put("settings", p.settings());
    prov.put("calibrationSamples", p.calibrationSamples());
    prov.put("calibrationSha256", p.calibrationSha256());
    prov.put("seed", p.seed());
    prov.put("prunekitVersion", p.prunekitVersion());
    prov.put("djlVersion", p.djlVersion());
    prov.put("nd4jVersion", p.nd4jVersion());
    prov.put("javaVersion", p.javaVersion());
    prov.put("createdAt", p.createdAt().toString());
    return prov;
  }

  /** Writes the report as pretty-printed JSON. */
  public static void write(Map<String, Object> report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(report),
        StandardCharsets.UTF_8);
  }
}
