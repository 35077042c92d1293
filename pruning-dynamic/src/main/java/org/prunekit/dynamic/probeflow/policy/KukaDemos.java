package org.prunekit.dynamic.probeflow.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the KUKA LWR 4+ kinesthetic demonstrations ({@code robot-demos-kuka-lwr-dsopt}, CSV with
 * header {@code demo,step,x,y,z,vx,vy,vz}, rows grouped by demo in step order). The data set is
 * GPL-3.0: read it where it lies (the shared data directory), never copy it into a project.
 */
public final class KukaDemos {
  /** The data set's directory name under the shared data directory. */
  public static final String DIRECTORY = "robot-demos-kuka-lwr-dsopt";
  /** The expected CSV header. */
  public static final String HEADER = "demo,step,x,y,z,vx,vy,vz";

  private KukaDemos() {}

  /**
   * The data set directory, if present: {@code <prunekit.shared.dir>/data/robot-demos-kuka-lwr-dsopt}
   * (system property), else {@code <prunekit.home>/../shared/data/...}, else {@code
   * ../shared/data/...} from the working directory.
   */
  public static Optional<Path> locate() {
    List<Path> candidates = new ArrayList<>();
    String shared = System.getProperty("prunekit.shared.dir");
    if (shared != null) {
      candidates.add(Path.of(shared, "data", DIRECTORY));
    }
    String home = System.getProperty("prunekit.home");
    if (home != null) {
      candidates.add(Path.of(home).resolve("../shared/data").resolve(DIRECTORY));
    }
    candidates.add(Path.of("..", "shared", "data", DIRECTORY));
    candidates.add(Path.of("..", "..", "shared", "data", DIRECTORY));
    return candidates.stream().filter(Files::isDirectory).map(Path::normalize).findFirst();
  }

  /**
   * Reads every demo of one task file.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and line if the content is malformed
   */
  public static List<DemoTrajectory> read(Path csv) throws IOException {
    List<DemoTrajectory> demos = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.trim().equals(HEADER)) {
        throw new IllegalArgumentException(csv + ": expected header '" + HEADER + "', got '" + header + "'");
      }
      List<float[]> pos = new ArrayList<>();
      List<float[]> vel = new ArrayList<>();
      int current = -1;
      int lineNo = 1;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        if (f.length != 8) {
          throw new IllegalArgumentException(csv + " line " + lineNo + ": expected 8 fields, got " + f.length);
        }
        int demo;
        int step;
        float[] p = new float[3];
        float[] v = new float[3];
        try {
          demo = Integer.parseInt(f[0].trim());
          step = Integer.parseInt(f[1].trim());
          for (int i = 0; i < 3; i++) {
            p[i] = Float.parseFloat(f[2 + i]);
            v[i] = Float.parseFloat(f[5 + i]);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(csv + " line " + lineNo + ": " + e.getMessage(), e);
        }
        if (demo != current) {
          if (current >= 0) {
            demos.add(new DemoTrajectory(current, pos.toArray(new float[0][]), vel.toArray(new float[0][])));
          }
          current = demo;
          pos.clear();
          vel.clear();
        }
        if (step != pos.size()) {
          throw new IllegalArgumentException(csv + " line " + lineNo + ": demo " + demo + " step " + step
              + " out of order (expected " + pos.size() + ")");
        }
        pos.add(p);
        vel.add(v);
      }
      if (current >= 0) {
        demos.add(new DemoTrajectory(current, pos.toArray(new float[0][]), vel.toArray(new float[0][])));
      }
    }
    if (demos.isEmpty()) {
      throw new IllegalArgumentException(csv + ": no demonstrations");
    }
    return demos;
  }
}
