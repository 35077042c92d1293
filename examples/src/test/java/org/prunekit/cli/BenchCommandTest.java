package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;

/** {@code prunekit bench} end to end on a tiny model and the shipped Fashion-MNIST test images. */
class BenchCommandTest {
  static final Path FASHION = Path.of("data/fashion-mnist");
  @TempDir Path tmp;

  private Path tinyModel() throws Exception {
    Graph g = GraphBuilder.create(5).input("image", 1, 28, 28)
        .conv2d("conv", 4, 3, 1, 1).relu().maxPool2d(2).flatten().linear("fc", 10).build();
    Path p = tmp.resolve("tiny.pkm");
    ModelFormat.save(g, Provenance.builder().setCriterion("none").setSeed(5).build(), p);
    return p;
  }

  @Test
  void helpListsTheOptions() {
    CliTest.Result r = CliTest.run("bench", "--help");
    assertEquals(0, r.code());
    for (String opt : new String[] {"Usage: prunekit bench", "--model", "--criterion", "--sparsity", "--macs",
        "--batch", "--engine", "--data", "--limit", "--warmup-ms", "--out"}) {
      assertTrue(r.out().contains(opt), opt);
    }
    assertTrue(CliTest.run("--help").out().contains("bench"));
  }

  @Test
  void smallSweepWritesJsonAndHtmlWithPngs() throws Exception {
    assumeTrue(Files.isDirectory(FASHION), "shipped Fashion-MNIST data not found");
    Path out = tmp.resolve("out");
    Path model = tinyModel();
    CliTest.Result r = CliTest.run("bench", "--model", model + ",demo-cnn", "--criterion", "magnitude,l1",
        "--sparsity", "0.5,0.8", "--macs", "0.6", "--batch", "1,8", "--engine", "djl,ort", "--data", FASHION.toString(),
        "--prefix", "t10k", "--limit", "200", "--warmup", "1", "--warmup-ms", "20", "--runs", "3", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("[##############################] 100%"), r.out());
    assertTrue(r.out().contains("wrote "), r.out());

    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("bench.json"))).getAsJsonObject();
    JsonArray rows = json.getAsJsonArray("rows");
    // 2 models x (dense + magnitude 0.5, 0.8 + structured l1 0.6)
    assertEquals(8, rows.size());
    Map<String, JsonObject> dense = new HashMap<>();
    List<String> methods = new ArrayList<>();
    for (JsonElement e : rows) {
      JsonObject row = e.getAsJsonObject();
      methods.add(row.get("model").getAsString() + "|" + row.get("method").getAsString() + "|" + row.get("target").getAsDouble());
      if (row.get("kind").getAsString().equals("dense")) {
        dense.put(row.get("model").getAsString(), row);
        assertEquals(0.0, row.get("achievedSparsity").getAsDouble());
      }
      assertEquals(4, row.getAsJsonArray("latency").size(), "2 engines x 2 batch sizes");
      double acc = row.get("accuracy").getAsDouble();
      assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
    }
    assertEquals(List.of("tiny.pkm|dense|0.0", "tiny.pkm|magnitude|0.5", "tiny.pkm|magnitude|0.8",
        "tiny.pkm|structured:l1|0.6", "demo-cnn|dense|0.0", "demo-cnn|magnitude|0.5", "demo-cnn|magnitude|0.8",
        "demo-cnn|structured:l1|0.6"), methods);
    for (JsonElement e : rows) {
      JsonObject row = e.getAsJsonObject();
      JsonObject base = dense.get(row.get("model").getAsString());
      for (JsonElement le : row.getAsJsonArray("latency")) {
        JsonObject l = le.getAsJsonObject();
        double baseMedian = median(base, l.get("engine").getAsString(), l.get("batch").getAsInt());
        assertEquals(baseMedian / l.get("medianMs").getAsDouble(), l.get("speedup").getAsDouble(), 1e-9);
      }
      if (row.get("method").getAsString().equals("magnitude")) {
        // unstructured keeps the shape: same params, fewer non-zeros, about the target sparsity
        assertEquals(base.get("params").getAsLong(), row.get("params").getAsLong());
        assertEquals(row.get("target").getAsDouble(), row.get("achievedSparsity").getAsDouble(), 0.02);
      }
    }
    String command = json.getAsJsonObject("environment").get("command").getAsString();
    assertTrue(command.startsWith("prunekit bench --model " + model + ",demo-cnn --criterion magnitude,l1"), command);

    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains(command.replace("&", "&amp;")), "the page states the command");
    assertTrue(html.contains("Java") && html.contains("DJL") && html.contains("ND4J") && html.contains("engine ort"));
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      images++;
      byte[] b = Files.readAllBytes(out.resolve(m.group(1)));
      assertTrue(b.length > 5_000, m.group(1) + " has only " + b.length + " bytes");
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(b, 8));
    }
    assertEquals(1 + 4 + 3, images);
  }

  private static double median(JsonObject row, String engine, int batch) {
    for (JsonElement e : row.getAsJsonArray("latency")) {
      JsonObject l = e.getAsJsonObject();
      if (l.get("engine").getAsString().equals(engine) && l.get("batch").getAsInt() == batch) {
        return l.get("medianMs").getAsDouble();
      }
    }
    throw new AssertionError("no dense latency for " + engine + " batch " + batch);
  }

  @Test
  void errorsAreOneLine() throws Exception {
    CliTest.Result r = CliTest.run("bench", "--model", "demo-cnn", "--criterion", "l1", "--sparsity", "0.5",
        "--out", tmp.toString());
    assertEquals(1, r.code());
    assertEquals("prunekit bench: error: --criterion 'l1' needs --macs (it is a structured group importance)",
        r.err().trim());
    r = CliTest.run("bench", "--model", "demo-cnn", "--criterion", "nope", "--sparsity", "0.5", "--out", tmp.toString());
    assertEquals(1, r.err().trim().lines().count(), r.err());
    assertTrue(r.err().contains("unknown --criterion 'nope'"), r.err());
    r = CliTest.run("bench", "--model", "demo-cnn", "--engine", "gpu", "--out", tmp.toString());
    assertTrue(r.err().startsWith("prunekit bench: error: unknown engine 'gpu'"), r.err());
  }

  @Test
  void criterionNamesAreSortedByKind() {
    List<String> u = new ArrayList<>();
    List<String> s = new ArrayList<>();
    BenchCommand.split(List.of("magnitude", "taylor", "l2"), true, true, u, s);
    assertEquals(List.of("magnitude", "taylor"), u);
    assertEquals(List.of("taylor", "l2"), s);
    assertThrows(IllegalArgumentException.class,
        () -> BenchCommand.split(List.of("magnitude"), false, true, new ArrayList<>(), new ArrayList<>()));
  }
}
