package org.prunekit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prunekit.analysis.simcert.BoundMethod;
import org.prunekit.analysis.simcert.DualNetwork;
import org.prunekit.analysis.simcert.InputBox;
import org.prunekit.analysis.simcert.MonteCarloCheck;
import org.prunekit.analysis.simcert.SimCert;
import org.prunekit.analysis.simcert.SimCertResult;
import org.prunekit.analysis.simcert.SplitRule;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.SavedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prunekit certify}: a SimCert certificate that a pruned model stays within ε of the
 * original on an input box, with probability at least the confidence (docs/simcert.md).
 */
@Command(name = "certify", mixinStandardHelpOptions = true,
    description = {"Certify P(max_j |f_j(x) - g_j(x)| <= EPSILON) >= CONFIDENCE for x uniform on an input box "
        + "(SimCert: dual-network bounds + Bernstein + box splitting).",
        "Boxes: --box lo:hi (every input) or lo1:hi1,lo2:hi2,... (one per input); or L-infinity boxes of each "
            + "--radius around each --images index of IDX data (--data), clipped to --clip."})
final class CertifyCommand implements Callable<Integer> {
  @Option(names = "--original", required = true, description = "original model (.pkm or .onnx)")
  Path original;

  @Option(names = "--pruned", required = true, description = "pruned or quantised model (.pkm or .onnx), same layers")
  Path pruned;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Region region;

  static final class Region {
    @Option(names = "--box", description = "lo:hi for all inputs, or one lo:hi per input, comma-separated")
    String box;

    @Option(names = "--data", description = "IDX directory (MNIST layout) whose images are box centres")
    Path data;
  }

  @Option(names = "--prefix", defaultValue = "t10k", description = "IDX prefix of --data (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--images", split = ",", defaultValue = "0",
      description = "image indices of --data, comma-separated; a-b is a range (default: ${DEFAULT-VALUE})")
  List<String> images;

  @Option(names = "--radius", split = ",", defaultValue = "1",
      description = "L-infinity radii around each image, in model input units (default: ${DEFAULT-VALUE})")
  List<Double> radii;

  @Option(names = "--scale", description = "pixel scale (default: the model's recorded input.scale, else 1 = raw 0..255)")
  Float scale;

  @Option(names = "--clip", description = "valid input range lo:hi for --data boxes (default: 0:255 times the scale)")
  String clip;

  @Option(names = "--epsilon", required = true, description = "output tolerance (>= 0)")
  double epsilon;

  @Option(names = "--confidence", defaultValue = "0.99", description = "confidence 1 - delta in (0, 1) (default: ${DEFAULT-VALUE})")
  double confidence;

  @Option(names = "--max-depth", defaultValue = "10", description = "deepest box split (default: ${DEFAULT-VALUE})")
  int maxDepth;

  @Option(names = "--max-boxes", defaultValue = "64", description = "most boxes evaluated per certificate (default: ${DEFAULT-VALUE})")
  int maxBoxes;

  @Option(names = "--method", defaultValue = "symbolic", description = "symbolic | interval (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--split", defaultValue = "widest", description = "widest | smear (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--strip-softmax", description = "certify the logits: drop a trailing softmax/log-softmax of both models")
  boolean stripSoftmax;

  @Option(names = "--samples", defaultValue = "0",
      description = "also run both models on N uniform samples per box (DJL) and report the observed differences")
  int samples;

  @Option(names = "--json", description = "write the results as JSON here")
  Path json;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    SimCert cert = SimCert.builder().setEpsilon(epsilon).setConfidence(confidence).optMaxDepth(maxDepth)
        .optMaxBoxes(maxBoxes).optMethod(BoundMethod.valueOf(method.toUpperCase(Locale.ROOT)))
        .optSplitRule(SplitRule.valueOf(split.toUpperCase(Locale.ROOT))).build();
    SavedModel a = ModelFiles.load(original);
    SavedModel b = ModelFiles.load(pruned);
    Graph f = stripSoftmax ? SimCert.withoutTrailingSoftmax(a.graph()) : a.graph();
    Graph g = stripSoftmax ? SimCert.withoutTrailingSoftmax(b.graph()) : b.graph();
    DualNetwork net = DualNetwork.of(f, g);
    List<String> labels = new ArrayList<>();
    List<InputBox> boxes = new ArrayList<>();
    if (region.box != null) {
      boxes.add(CertifyBoxes.parseBox(region.box, net.inputSize()));
      labels.add("box " + region.box);
    } else {
      float s = scale != null ? scale : ModelFiles.inputScale(a.provenance());
      double[] range = clip != null ? CertifyBoxes.parseRange(clip, "--clip") : new double[] {0, 255.0 * s};
      IdxDataset d = IdxDataset.loadDir(region.data, prefix);
      if (s != 1f) {
        d = d.scaled(s);
      }
      for (int idx : CertifyBoxes.parseIndices(images, d.size())) {
        for (double r : radii) {
          boxes.add(InputBox.around(d.image(idx), r, range[0], range[1]));
          labels.add(String.format(Locale.ROOT, "image %d (label %d), radius %s", idx, d.label(idx), r));
        }
      }
    }
    var out = common.out();
    out.printf(Locale.ROOT, "SimCert: %s vs %s, %d inputs, %d outputs, %d changed weight uses; epsilon %s, "
            + "confidence %s, method %s, split %s, max depth %d, max boxes %d%n", original.getFileName(),
        pruned.getFileName(), net.inputSize(), net.outputSize(), net.changedWeightUses(), epsilon, confidence,
        method, split, maxDepth, maxBoxes);
    StringBuilder js = new StringBuilder("{\"original\":\"").append(CertifyBoxes.escape(original.toString()))
        .append("\",\"pruned\":\"").append(CertifyBoxes.escape(pruned.toString())).append("\",\"results\":[");
    int certified = 0;
    double seconds = 0;
    for (int i = 0; i < boxes.size(); i++) {
      SimCertResult r = cert.certify(net, boxes.get(i));
      certified += r.certified() ? 1 : 0;
      seconds += r.seconds();
      out.printf(Locale.ROOT, "%s: %s%n", labels.get(i), r.summary().strip().replace("\n", "\n  "));
      String mc = "";
      if (samples > 0) {
        MonteCarloCheck.Samples s = MonteCarloCheck.sample(f, g, boxes.get(i), samples, i);
        double maxAbs = 0;
        for (double v : s.maxAbs()) {
          maxAbs = Math.max(maxAbs, v);
        }
        int outside = s.outside(r.deterministicLower(), r.deterministicUpper(), 1e-3 * Math.max(1, maxAbs));
        out.printf(Locale.ROOT, "    Monte Carlo (%d samples, DJL): max |Δ| %.6g, rate ||Δ||∞ > ε %.4g "
                + "(Maurer-Pontil bound %.4g), outside worst-case bounds %d%n", samples, maxAbs,
            s.violationRate(epsilon), s.empiricalBernsteinBound(epsilon, confidence), outside);
        mc = String.format(Locale.ROOT, ",\"monteCarlo\":{\"samples\":%d,\"maxAbsDelta\":%s,\"violationRate\":%s,"
            + "\"maurerPontil\":%s,\"outsideWorstCase\":%d}", samples, maxAbs, s.violationRate(epsilon),
            s.empiricalBernsteinBound(epsilon, confidence), outside);
      }
      js.append(i > 0 ? "," : "").append("{\"region\":\"").append(CertifyBoxes.escape(labels.get(i)))
          .append("\",\"result\":").append(r.toJson()).append(mc).append('}');
    }
    js.append("],\"certified\":").append(certified).append(",\"total\":").append(boxes.size()).append('}');
    out.printf(Locale.ROOT, "certified %d of %d region(s) at epsilon %s, confidence %s; bound time %.2f s%n",
        certified, boxes.size(), epsilon, confidence, seconds);
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, js.append('\n').toString());
      out.println("wrote " + json);
    }
    return 0;
  }
}
