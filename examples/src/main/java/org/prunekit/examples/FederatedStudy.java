package org.prunekit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.prunekit.analysis.federated.AggregationRule;
import org.prunekit.analysis.federated.CommunicationGraph;
import org.prunekit.analysis.federated.FederatedSimulation;
import org.prunekit.analysis.federated.Link;
import org.prunekit.analysis.federated.RoutingPlanner;
import org.prunekit.analysis.federated.RoutingStrategy;
import org.prunekit.analysis.federated.SimulationResult;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;

/**
 * D-FL study: decentralised federated averaging of a small MLP over a random multi-hop wireless
 * mesh, each client pruning its model (magnitude) to the retention its route allows within the
 * latency budget, compared with the routing baselines and the unpruned system.
 *
 * <p>Run (shipped Fashion-MNIST t10k: clients get the first {@code clients x perClient} images,
 * the last {@code testImages} are the test set; they must not overlap):
 * {@code java -cp "examples/target/classes:$(cat examples/target/classpath.txt)"
 * org.prunekit.examples.FederatedStudy}; {@code --data DIR} uses an IDX directory with {@code
 * train-*} and {@code t10k-*} (e.g. MNIST). See {@code docs/federated.md}.
 */
public final class FederatedStudy {
  /**
   * Study settings.
   *
   * @param dataDir IDX directory with train/t10k files, or null for the shipped Fashion-MNIST t10k
   * @param clients number of clients
   * @param perClient training samples per client
   * @param testImages evaluation images
   * @param rounds federated rounds
   * @param epochs local epochs per round
   * @param batchSize local batch size
   * @param learningRate local SGD learning rate
   * @param budgetSeconds per-round latency budget
   * @param labelSkew label-sharded (non-IID) split instead of IID
   * @param rule aggregation rule
   * @param strategies strategies to compare
   * @param seed seed of topology, split, initialisation and local shuffles
   */
  public record Options(Path dataDir, int clients, int perClient, int testImages, int rounds, int epochs,
      int batchSize, float learningRate, double budgetSeconds, boolean labelSkew, AggregationRule rule,
      List<RoutingStrategy> strategies, long seed) {
    /** Validates. */
    public Options {
      strategies = List.copyOf(strategies);
      if (clients < 2 || perClient < 1 || testImages < 1 || rounds < 1 || epochs < 1 || batchSize < 1
          || !(learningRate > 0) || !(budgetSeconds > 0) || strategies.isEmpty()) {
        throw new IllegalArgumentException("invalid federated study options");
      }
    }

    /** The documented defaults: 8 clients x 500 label-sharded images, 1000 test images, 10 rounds, SGD
     * 0.05, 0.25 s budget, zero-fill aggregation, all strategies, seed 7. */
    public static Options defaults() {
      return new Options(null, 8, 500, 1000, 10, 1, 32, 0.05f, 0.25, true, AggregationRule.ZERO_FILL,
          List.of(RoutingStrategy.values()), 7);
    }
  }

  private FederatedStudy() {}

  /** The model: flatten, 784 -> 64 ReLU -> 10 (50,890 parameters). */
  public static Graph buildModel(long seed) {
    return GraphBuilder.create(seed).input("image", 1, 28, 28).flatten().linear("fc1", 64).relu()
        .linear("fc2", 10).build();
  }

  /**
   * A connected random wireless mesh: clients uniform in a 100 m square, a link wherever two are
   * within 55 m, Shannon rate {@code B log2(1 + SNR)} with {@code B = 1 MHz} and {@code SNR =
   * 1000 (10 m / d)^3}, 2 ms per hop. Seeds are tried from {@code seed} until the mesh is connected.
   */
  public static CommunicationGraph wirelessMesh(int clients, long seed) {
    for (long s = seed; s < seed + 1000; s++) {
      Random rnd = new Random(s);
      double[][] pos = new double[clients][2];
      for (double[] p : pos) {
        p[0] = 100 * rnd.nextDouble();
        p[1] = 100 * rnd.nextDouble();
      }
      CommunicationGraph.Builder b = CommunicationGraph.builder();
      for (int i = 0; i < clients; i++) {
        b.addClients("c" + i);
      }
      for (int i = 0; i < clients; i++) {
        for (int j = i + 1; j < clients; j++) {
          double d = Math.max(1, Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]));
          if (d <= 55) {
            b.addLink(Link.shannon("c" + i, "c" + j, 1e6, 1000 * Math.pow(10 / d, 3), 0.002));
          }
        }
      }
      CommunicationGraph g = b.build();
      boolean[] r = g.reachableFrom(0);
      boolean all = true;
      for (boolean x : r) {
        all &= x;
      }
      if (all) {
        return g;
      }
    }
    throw new IllegalStateException("no connected mesh of " + clients + " clients found");
  }

  /** Runs the study, printing to {@code out}; returns one result per strategy. */
  public static List<SimulationResult> run(Options o, PrintStream out) throws IOException {
    IdxDataset train;
    IdxDataset test;
    if (o.dataDir() == null) {
      IdxDataset all = IdxDataset.loadDir(FashionMnistDemo.shippedData(), "t10k").scaled(1f / 255f);
      train = all.subset(0, all.size() - Math.min(o.testImages(), all.size() - 1));
      test = all.subset(all.size() - o.testImages(), all.size());
      out.printf("data: shipped Fashion-MNIST t10k, clients get images [0, %d), test on the last %d%n",
          o.clients() * o.perClient(), test.size());
    } else {
      train = IdxDataset.loadDir(o.dataDir(), "train").scaled(1f / 255f);
      IdxDataset t = IdxDataset.loadDir(o.dataDir(), "t10k").scaled(1f / 255f);
      test = t.subset(0, Math.min(o.testImages(), t.size()));
      out.printf("data: %s, clients get train images [0, %d), test on t10k [0, %d)%n", o.dataDir(),
          o.clients() * o.perClient(), test.size());
    }
    ClientShards shards = ClientShards.split(train, o.clients(), o.perClient(), o.labelSkew(), o.seed());
    CommunicationGraph mesh = wirelessMesh(o.clients(), o.seed());
    out.printf("mesh: %d clients, %d links (rate Mb/s, delay ms):%n", mesh.size(), mesh.links().size());
    for (Link l : mesh.links()) {
      out.printf(Locale.ROOT, "  %s-%s %.2f %.0f%n", l.a(), l.b(), l.rateBitsPerSecond() / 1e6,
          1000 * l.delaySeconds());
    }
    for (int c = 0; c < o.clients(); c++) {
      out.printf("  client c%d: %d images, labels %s%n", c, shards.size(c), Arrays.toString(shards.distinctLabels(c)));
    }
    Graph model = buildModel(o.seed());
    ClientShards.LocalSgd[] session = new ClientShards.LocalSgd[1];
    FederatedSimulation sim = FederatedSimulation.builder().setGraph(mesh).setModel(model)
        .setLocalUpdate((g, c, r) -> {
          if (session[0] == null || session[0].graph() != g) {
            if (session[0] != null) {
              session[0].close();
            }
            session[0] = shards.session(g, o.batchSize(), o.learningRate());
          }
          session[0].train(c, o.epochs(), o.seed() * 1000 + r * 100L + c);
        })
        .setEvaluator(g -> ClassifierTraining.accuracy(g, test, 500))
        .setRounds(o.rounds()).setLatencyBudget(o.budgetSeconds()).optAggregation(o.rule()).optSeed(o.seed())
        .build();
    RoutingPlanner planner = sim.planner();
    out.printf(Locale.ROOT, "model: %.0f bit (%.3f Mbit), budget T_max = %.3f s, %d rounds, aggregation %s, %s split%n",
        sim.modelBits(), sim.modelBits() / 1e6, o.budgetSeconds(), o.rounds(), o.rule(),
        o.labelSkew() ? "label-sharded" : "IID");
    for (RoutingStrategy s : List.of(RoutingStrategy.DFL, RoutingStrategy.MIN_HOP)) {
      if (o.strategies().contains(s)) {
        out.println(planner.plan(planner.flowsTo("c0"), s).report());
      }
    }
    List<SimulationResult> results = new ArrayList<>();
    for (RoutingStrategy s : o.strategies()) {
      SimulationResult r;
      try {
        r = sim.run(s);
      } finally {
        if (session[0] != null) {
          session[0].close();
          session[0] = null;
        }
      }
      results.add(r);
      StringBuilder acc = new StringBuilder();
      r.rounds().forEach(x -> acc.append(String.format(Locale.ROOT, " %.4f", x.accuracy())));
      out.printf(Locale.ROOT, "%-8s accuracy per round:%s (%.1f s)%n", s, acc, r.seconds());
    }
    out.println(SimulationResult.header());
    results.forEach(r -> out.println(r.row()));
    return results;
  }

  /** Command line: {@code --data DIR --clients N --per-client N --test N --rounds N --epochs N --batch N
   * --lr X --budget S --split skew|iid --aggregation masked|zero --strategies DFL,MIN_HOP,... --seed N}. */
  public static void main(String[] args) throws IOException {
    // One PyTorch thread: on a busy machine two intra-op threads per tiny batch are 2-3x slower.
    System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
    System.setProperty("ai.djl.pytorch.num_interop_threads",
        System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
    Options d = Options.defaults();
    Path data = d.dataDir();
    int clients = d.clients();
    int per = d.perClient();
    int testN = d.testImages();
    int rounds = d.rounds();
    int epochs = d.epochs();
    int batch = d.batchSize();
    float lr = d.learningRate();
    double budget = d.budgetSeconds();
    boolean skew = d.labelSkew();
    AggregationRule rule = d.rule();
    List<RoutingStrategy> strategies = d.strategies();
    long seed = d.seed();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--data" -> data = Path.of(v);
        case "--clients" -> clients = Integer.parseInt(v);
        case "--per-client" -> per = Integer.parseInt(v);
        case "--test" -> testN = Integer.parseInt(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--lr" -> lr = Float.parseFloat(v);
        case "--budget" -> budget = Double.parseDouble(v);
        case "--split" -> skew = switch (v) {
          case "skew" -> true;
          case "iid" -> false;
          default -> throw new IllegalArgumentException("--split must be skew or iid, got " + v);
        };
        case "--aggregation" -> rule = switch (v) {
          case "masked" -> AggregationRule.MASKED_MEAN;
          case "zero" -> AggregationRule.ZERO_FILL;
          default -> throw new IllegalArgumentException("--aggregation must be masked or zero, got " + v);
        };
        case "--strategies" -> strategies = Arrays.stream(v.split(",")).map(RoutingStrategy::valueOf).toList();
        case "--seed" -> seed = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(new Options(data, clients, per, testN, rounds, epochs, batch, lr, budget, skew, rule, strategies, seed),
        System.out);
  }
}
