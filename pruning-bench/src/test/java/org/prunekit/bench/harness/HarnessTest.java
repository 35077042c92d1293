package org.prunekit.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;

/** A small real sweep on a tiny model and the shipped Fashion-MNIST test images, both engines. */
class HarnessTest {
  static final Path FASHION = Path.of("../examples/data/fashion-mnist");
  @TempDir Path tmp;

  private Path tinyModel() throws Exception {
    // conv 4x3x3 (36 + 4 bias) -> pool -> fc 4*14*14=784 -> 10 (7840 + 10): 7890 params
    Graph g = GraphBuilder.create(3).input("image", 1, 28, 28)
        .conv2d("conv", 4, 3, 1, 1).relu().maxPool2d(2).flatten().linear("fc", 10).build();
    Path p = tmp.resolve("tiny.pkm");
    ModelFormat.save(g, Provenance.builder().setCriterion("none").setSeed(3).optSetting("input.scale", "0.00392157")
        .build(), p);
    return p;
  }

  @Test
  void sweepWritesRowsRatiosJsonAndHtml() throws Exception {
    assumeTrue(Files.isDirectory(FASHION), "shipped Fashion-MNIST data not found");
    SweepSpec spec = SweepSpec.builder().setModels(List.of(tinyModel().toString()))
        .optUnstructured(List.of("magnitude"), List.of(0.5, 0.9))
        .optStructured(List.of("l1"), List.of(0.5))
        .optBatchSizes(List.of(1, 4)).optEngines(List.of("djl", "ort"))
        .optData(FASHION, "t10k", 200).optRuns(1, 3).optWarmupMillis(0).optCommand("prunekit bench (test)").build();
    List<int[]> progress = new ArrayList<>();
    SweepResult r = Harness.run(spec, (done, total, step) -> progress.add(new int[] {done, total}));

    // 1 dense + 2 unstructured + 1 structured rows; progress: 4 evaluations + 2 engines x 2 batches x 3 rounds
    assertEquals(4, r.rows().size());
    assertEquals(16, progress.size());
    assertArrayEquals(new int[] {16, 16}, progress.get(progress.size() - 1));
    SweepRow dense = r.rows().get(0);
    assertTrue(dense.isDense());
    assertEquals(7890, dense.params());
    assertEquals(7890 - 14, dense.nonZeroParams(), "the 14 biases start at zero");
    assertEquals(0.0, dense.achievedSparsity());
    // MACs per sample: conv 4*28*28*9 = 28,224, fc 784*10 = 7,840
    assertEquals(28_224 + 7_840, dense.macs());
    SweepRow m50 = r.rows().get(1);
    assertEquals("magnitude", m50.method());
    assertEquals(7890, m50.params());
    // layer scope on the two weights: 18 of 36 and 3920 of 7840 pruned, biases kept
    assertEquals(7876 - 18 - 3920, m50.nonZeroParams());
    assertEquals((18 + 3920) / 7876.0, m50.achievedSparsity(), 1e-12);
    SweepRow structured = r.rows().get(3);
    assertEquals("structured:l1", structured.method());
    assertTrue(structured.params() < dense.params(), "structured pruning makes the model smaller");
    assertTrue(structured.effectiveMacs() <= dense.macs() * 0.5 + 1, "MAC budget 0.5 kept: " + structured.effectiveMacs());
    for (SweepRow row : r.rows()) {
      assertNotNull(row.accuracy());
      assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1);
      assertEquals(4, row.latency().size());
    }

    Path out = tmp.resolve("report");
    JsonReport.write(r, out.resolve("bench.json"));
    List<Path> files = HtmlReport.write(r, out);
    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("bench.json"))).getAsJsonObject();
    JsonArray rows = json.getAsJsonArray("rows");
    assertEquals(4, rows.size());
    JsonObject denseJson = rows.get(0).getAsJsonObject();
    assertEquals("dense", denseJson.get("kind").getAsString());
    for (String field : new String[] {"model", "method", "target", "achievedSparsity", "params", "nonZeroParams",
        "macs", "effectiveMacs", "macsFraction", "accuracy", "latency"}) {
      assertTrue(denseJson.has(field), field);
    }
    for (JsonElement e : rows) {
      JsonObject row = e.getAsJsonObject();
      for (JsonElement le : row.getAsJsonArray("latency")) {
        JsonObject l = le.getAsJsonObject();
        double baseMedian = findLatency(denseJson, l.get("engine").getAsString(), l.get("batch").getAsInt());
        assertEquals(baseMedian / l.get("medianMs").getAsDouble(), l.get("speedup").getAsDouble(), 1e-9,
            "speedup = dense median / median, as stored");
        assertTrue(l.get("p90Ms").getAsDouble() >= l.get("medianMs").getAsDouble());
      }
    }
    assertEquals("prunekit bench (test)", json.getAsJsonObject("environment").get("command").getAsString());
    assertTrue(json.getAsJsonObject("environment").getAsJsonObject("versions").has("engine ort"));
    assertTrue(json.getAsJsonObject("pareto").has("accuracy-vs-macs"));

    String html = Files.readString(files.get(0));
    assertEquals(out.resolve("report.html"), files.get(0));
    assertTrue(html.contains("prunekit bench (test)"));
    assertTrue(html.contains("available processors"));
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      images++;
      Path png = out.resolve(m.group(1));
      assertTrue(Files.isRegularFile(png), png.toString());
      byte[] b = Files.readAllBytes(png);
      assertTrue(b.length > 5_000, png + " is only " + b.length + " bytes");
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
          java.util.Arrays.copyOf(b, 8), png + " is not a PNG");
      Path svg = Charts.svgFor(png);
      assertTrue(html.contains("<a href=\"" + svg.getFileName() + "\">SVG</a>"), "no SVG link for " + png);
      String svgText = Files.readString(svg);
      assertTrue(svgText.contains("<svg") && svgText.contains("</svg>"), svg + " is not an SVG document");
      assertTrue(svgText.length() > 5_000, svg + " is only " + svgText.length() + " chars");
    }
    // accuracy vs sparsity, latency vs MACs for 2 engines x 2 batches, Pareto vs MACs and vs latency per engine
    assertEquals(1 + 4 + 3, images);
  }

  private static double findLatency(JsonObject row, String engine, int batch) {
    for (JsonElement e : row.getAsJsonArray("latency")) {
      JsonObject l = e.getAsJsonObject();
      if (l.get("engine").getAsString().equals(engine) && l.get("batch").getAsInt() == batch) {
        return l.get("medianMs").getAsDouble();
      }
    }
    throw new AssertionError("no dense latency for " + engine + " b" + batch);
  }

  @Test
  void realMnistModelKeepsItsAccuracyAndNoDataMeansNoAccuracy() throws Exception {
    Path shared = Path.of(System.getProperty("prunekit.shared.dir", "../../shared"), "data");
    Path model = shared.resolve("models/mnist-8-onnx/mnist-8.onnx");
    assumeTrue(Files.isRegularFile(model), "shared MNIST model not present");
    SweepSpec spec = SweepSpec.builder().setModels(List.of(model.toString()))
        .optData(shared.resolve("mnist"), "t10k", 300).optRuns(0, 1).optWarmupMillis(0).build();
    SweepResult r = Harness.run(spec, SweepProgress.none());
    assertEquals(1, r.rows().size());
    // 98.91% on the full test set (README); the first 300 images are easier than average
    assertTrue(r.rows().get(0).accuracy() > 0.96, "accuracy " + r.rows().get(0).accuracy());
    // conv1 8*25 + 8, conv2 16*8*25 + 16, fc 256*10 + 10 (the README's 5,998 counts the 4 reshape constants)
    assertEquals(208 + 3_216 + 2_570, r.rows().get(0).params());

    SweepResult noData = Harness.run(SweepSpec.builder().setModels(List.of("demo-cnn")).optRuns(0, 1).optWarmupMillis(0).build(),
        SweepProgress.none());
    assertNull(noData.rows().get(0).accuracy());
    assertTrue(JsonReport.toMap(noData).get("pareto") instanceof java.util.Map<?, ?> p && p.isEmpty());
  }

  @Test
  void badInputFailsBeforeAnythingRuns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Harness.run(
        SweepSpec.builder().setModels(List.of("demo-cnn")).optEngines(List.of("tpu")).build(), SweepProgress.none()));
    assertTrue(e.getMessage().contains("unknown engine 'tpu'") && e.getMessage().contains("ort"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Harness.run(
        SweepSpec.builder().setModels(List.of("no-such-model.onnx")).build(), SweepProgress.none()));
    assertTrue(e.getMessage().contains("no-such-model.onnx"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Harness.run(SweepSpec.builder().setModels(List.of("demo-cnn"))
        .optUnstructured(List.of("wanda"), List.of(0.5)).build(), SweepProgress.none()));
    assertTrue(e.getMessage().contains("wanda") && e.getMessage().contains("calibration"), e.getMessage());
  }
}
