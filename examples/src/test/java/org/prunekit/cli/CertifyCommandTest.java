package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;

/** {@code prunekit certify} end to end on a small MLP and its pruned copy. */
class CertifyCommandTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path[] models() throws Exception {
    Graph g = GraphBuilder.create(3).input("x", 6).linear("fc1", 12).relu().linear("fc2", 3).build();
    Path a = tmp.resolve("a.pkm");
    ModelFormat.save(g, Provenance.builder().setCriterion("none").setSeed(3).build(), a);
    Path b = tmp.resolve("b.pkm");
    Result p = run("prune", "--model", a.toString(), "--criterion", "magnitude", "--sparsity", "0.5",
        "--out", b.toString());
    assertEquals(0, p.code(), p.err());
    return new Path[] {a, b};
  }

  @Test
  void certifiesAndWritesJson() throws Exception {
    Path[] m = models();
    Path json = tmp.resolve("cert.json");
    Result r = run("certify", "--original", m[0].toString(), "--pruned", m[1].toString(), "--box", "0:1",
        "--epsilon", "100", "--confidence", "0.9", "--samples", "500", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("CERTIFIED: P(max_j |f_j - g_j| <= 100"), r.out());
    assertTrue(r.out().contains("certified 1 of 1 region(s)"), r.out());
    assertTrue(r.out().contains("outside worst-case bounds 0"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(1, o.get("certified").getAsInt());
    JsonObject res = o.getAsJsonArray("results").get(0).getAsJsonObject().getAsJsonObject("result");
    assertTrue(res.get("certified").getAsBoolean());
    assertEquals(3, res.getAsJsonArray("upper").size());
    double eps = res.get("certifiedEpsilon").getAsDouble();
    assertTrue(eps > 0 && eps <= res.get("deterministicEpsilon").getAsDouble());
    // ε = 0 cannot be certified for a pruned model
    Result zero = run("certify", "--original", m[0].toString(), "--pruned", m[1].toString(), "--box", "0:1",
        "--epsilon", "0", "--max-depth", "2");
    assertEquals(0, zero.code(), zero.err());
    assertTrue(zero.out().contains("NOT CERTIFIED") && zero.out().contains("certified 0 of 1"), zero.out());
  }

  @Test
  void helpDocumentsTheBoxSyntax() {
    Result r = run("certify", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Usage: prunekit certify") && r.out().contains("--box")
        && r.out().contains("one lo:hi per input"), r.out());
    assertTrue(run("--help").out().contains("certify"));
  }

  @Test
  void badArgumentsGiveOneLineErrors() throws Exception {
    Path[] m = models();
    String a = m[0].toString();
    String b = m[1].toString();
    Result eps = run("certify", "--original", a, "--pruned", b, "--box", "0:1", "--epsilon", "-1");
    assertEquals(1, eps.code());
    assertTrue(eps.err().contains("epsilon must be finite and >= 0, got -1.0"), eps.err());
    Result conf = run("certify", "--original", a, "--pruned", b, "--box", "0:1", "--epsilon", "1", "--confidence", "1");
    assertTrue(conf.err().contains("confidence must be in (0, 1)"), conf.err());
    Result inv = run("certify", "--original", a, "--pruned", b, "--box", "1:0", "--epsilon", "1");
    assertTrue(inv.err().contains("'1:0' is empty"), inv.err());
    Result count = run("certify", "--original", a, "--pruned", b, "--box", "0:1,0:1", "--epsilon", "1");
    assertTrue(count.err().contains("give one lo:hi for all inputs or 6"), count.err());
    Result none = run("certify", "--original", a, "--pruned", b, "--epsilon", "1");
    assertTrue(none.code() != 0 && none.err().contains("--box"), none.err());
  }
}
