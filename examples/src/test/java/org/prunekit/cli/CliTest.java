package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.io.SavedModel;

/** The command line end to end: help, prune with report, eval, and one-line errors. */
class CliTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path savedModel() throws Exception {
    Graph g = GraphBuilder.create(7).input("x", 1, 8, 8)
        .conv2d("conv", 4, 3, 1, 1).relu().flatten().linear("fc", 3).build();
    Path p = tmp.resolve("m.pkm");
    ModelFormat.save(g, Provenance.builder().setCriterion("none").setSeed(7).build(), p);
    return p;
  }

  @Test
  void everyVerbHasHelp() {
    for (String verb : new String[] {"demo", "eval", "prune"}) {
      Result r = run(verb, "--help");
      assertEquals(0, r.code(), verb);
      assertTrue(r.out().contains("Usage: prunekit " + verb), r.out());
    }
    assertTrue(run("--help").out().contains("prune"));
  }

  @Test
  void pruneWritesMaskedModelAndReport() throws Exception {
    Path out = tmp.resolve("p.pkm");
    Path report = tmp.resolve("r.json");
    Result r = run("prune", "--model", savedModel().toString(), "--criterion", "magnitude",
        "--sparsity", "0.5", "--scope", "row", "--out", out.toString(), "--report", report.toString());
    assertEquals(0, r.code(), r.err());
    SavedModel m = ModelFormat.load(out);
    Parameter fc = m.graph().parameter("fc.weight");
    assertTrue(fc.hasMask());
    // row scope: every output row of fc (256 inputs) keeps exactly 128
    float[] mask = fc.mask().data();
    for (int row = 0; row < 3; row++) {
      int kept = 0;
      for (int c = 0; c < 256; c++) {
        kept += (int) mask[row * 256 + c];
      }
      assertEquals(128, kept, "row " + row);
    }
    assertEquals("magnitude", m.provenance().criterion());
    assertEquals("row", m.provenance().settings().get("scope"));
    JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    JsonObject totals = json.getAsJsonObject("totals");
    assertEquals(json.getAsJsonArray("layers").size(), 2);
    assertTrue(totals.get("macsAfter").getAsLong() < totals.get("macsBefore").getAsLong());
    assertEquals("magnitude", json.getAsJsonObject("provenance").get("criterion").getAsString());
  }

  @Test
  void badInputGivesOneLineErrorAndNonZeroExit() throws Exception {
    Path model = savedModel();
    Path out = tmp.resolve("never.pkm");
    Result sparsity = run("prune", "--model", model.toString(), "--criterion", "magnitude",
        "--sparsity", "1.5", "--out", out.toString());
    assertEquals(1, sparsity.code());
    assertTrue(sparsity.err().contains("1.5") && sparsity.err().strip().lines().count() == 1, sparsity.err());
    Result criterion = run("prune", "--model", model.toString(), "--criterion", "nope",
        "--sparsity", "0.5", "--out", out.toString());
    assertEquals(1, criterion.code());
    assertTrue(criterion.err().contains("nope") && criterion.err().contains("magnitude"), criterion.err());
    Result missing = run("eval", "--model", tmp.resolve("absent.pkm").toString(), "--data", tmp.toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("absent.pkm"), missing.err());
    Result scope = run("prune", "--model", model.toString(), "--criterion", "magnitude",
        "--sparsity", "0.5", "--scope", "planet", "--out", out.toString());
    assertEquals(1, scope.code());
    assertTrue(scope.err().contains("planet"), scope.err());
    assertFalse(Files.exists(out), "nothing is written on error");
    assertTrue(run("prune", "--model", model.toString()).code() != 0, "missing required options");
  }

  @Test
  void evalOfRealOnnxModelOnMnist() {
    Path shared = Path.of(System.getProperty("prunekit.shared.dir", "../shared"));
    Path model = shared.resolve("data/models/mnist-8-onnx/mnist-8.onnx");
    Path data = shared.resolve("data/mnist");
    assumeTrue(Files.isRegularFile(model) && Files.isDirectory(data), "shared MNIST data not present");
    Result r = run("eval", "--model", model.toString(), "--data", data.toString(), "--limit", "1000");
    assertEquals(0, r.code(), r.err());
    // the first 1000 MNIST test images: mnist-8 gets 98.91% on all 10k; parse what we printed
    String pct = r.out().replaceAll("(?s).*top-1 accuracy ([0-9.]+)%.*", "$1");
    assertTrue(Double.parseDouble(pct) > 97.0, r.out());
    assertTrue(r.out().contains("on 1000 images"), r.out());
  }

  @Test
  void structuredPruneWritesSmallerModelMeetingMacBudget() throws Exception {
    Path out = tmp.resolve("s.pkm");
    Path report = tmp.resolve("s.json");
    Result r = run("prune", "--structured", "--model", savedModel().toString(), "--criterion", "l1",
        "--macs", "0.5", "--out", out.toString(), "--report", report.toString());
    assertEquals(0, r.code(), r.err());
    SavedModel m = ModelFormat.load(out);
    org.prunekit.core.graph.op.Conv conv = (org.prunekit.core.graph.op.Conv) m.graph().node("conv").op();
    assertTrue(conv.outChannels() < 4, "conv got narrower: " + conv);
    long before = org.prunekit.core.cost.CostModel.of(ModelFormat.load(savedModel()).graph(), 1).total().macs();
    long after = org.prunekit.core.cost.CostModel.of(m.graph(), 1).total().macs();
    assertTrue(after <= before / 2, after + " vs " + before);
    JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertTrue(json.get("explain").getAsString().contains("MACs"), json.toString());
    assertEquals("l1", json.getAsJsonObject("provenance").get("criterion").getAsString());
    // mixing the two modes is refused in one line
    Result bad = run("prune", "--structured", "--model", savedModel().toString(), "--criterion", "l1",
        "--sparsity", "0.5", "--out", out.toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("--sparsity"), bad.err());
    Result taylor = run("prune", "--structured", "--model", savedModel().toString(), "--criterion", "taylor",
        "--channels", "0.5", "--out", tmp.resolve("t.pkm").toString());
    assertEquals(1, taylor.code());
    assertTrue(taylor.err().contains("--data"), taylor.err());
  }

  @Test
  void wandaPruneCalibratesOnImagesReproducibly() throws Exception {
    Graph g = GraphBuilder.create(3).input("x", 1, 28, 28)
        .conv2d("conv", 4, 3, 2, 1).relu().flatten().linear("fc", 10).build();
    Path model = tmp.resolve("w.pkm");
    ModelFormat.save(g, Provenance.builder().setCriterion("none").setSeed(3)
        .optSetting("input.scale", Float.toString(1f / 255f)).build(), model);
    Path data = Path.of("data", "fashion-mnist").toAbsolutePath();
    String[] base = {"prune", "--model", model.toString(), "--criterion", "wanda", "--sparsity", "0.5",
        "--data", data.toString(), "--prefix", "t10k", "--calibration", "32"};
    Result a = run(concat(base, "--out", tmp.resolve("a.pkm").toString()));
    assertEquals(0, a.code(), a.err());
    Result b = run(concat(base, "--out", tmp.resolve("b.pkm").toString()));
    Result c = run(concat(base, "--seed", "1", "--out", tmp.resolve("c.pkm").toString()));
    assertEquals(0, b.code(), b.err());
    assertEquals(0, c.code(), c.err());
    Provenance pa = ModelFormat.load(tmp.resolve("a.pkm")).provenance();
    Provenance pb = ModelFormat.load(tmp.resolve("b.pkm")).provenance();
    Provenance pc = ModelFormat.load(tmp.resolve("c.pkm")).provenance();
    assertEquals(32, pa.calibrationSamples());
    assertEquals(pa.calibrationSha256(), pb.calibrationSha256(), "same seed, same calibration");
    assertFalse(pa.calibrationSha256().equals(pc.calibrationSha256()), "another seed, other images");
    // Wanda is per output row: every row of fc keeps exactly half of its 784 inputs
    float[] mask = ModelFormat.load(tmp.resolve("a.pkm")).graph().parameter("fc.weight").mask().data();
    int kept = 0;
    for (int i = 0; i < 784; i++) {
      kept += (int) mask[i];
    }
    assertEquals(392, kept);
    Result none = run("prune", "--model", model.toString(), "--criterion", "wanda", "--sparsity", "0.5",
        "--out", tmp.resolve("d.pkm").toString());
    assertEquals(1, none.code());
    assertTrue(none.err().contains("--data"), none.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
