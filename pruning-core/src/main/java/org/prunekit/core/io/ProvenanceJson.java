package org.prunekit.core.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The provenance part of the PruneKit format, written and read field by field. */
final class ProvenanceJson {
  private static final Set<String> FIELDS = Set.of("criterion", "settings", "calibrationSamples",
      "calibrationSha256", "seed", "prunekitVersion", "djlVersion", "nd4jVersion", "javaVersion", "createdAt");

  private ProvenanceJson() {}

  static JsonObject toJson(Provenance p) {
    JsonObject o = new JsonObject();
    o.addProperty("criterion", p.criterion());
    JsonObject s = new JsonObject();
    p.settings().forEach(s::addProperty);
    o.add("settings", s);
    if (p.calibrationSamples() != null) {
      o.addProperty("calibrationSamples", p.calibrationSamples());
      o.addProperty("calibrationSha256", p.calibrationSha256());
    }
    o.addProperty("seed", Long.toString(p.seed()));
    o.addProperty("prunekitVersion", p.prunekitVersion());
    o.addProperty("djlVersion", p.djlVersion());
    o.addProperty("nd4jVersion", p.nd4jVersion());
    o.addProperty("javaVersion", p.javaVersion());
    o.addProperty("createdAt", p.createdAt().toString());
    return o;
  }

  static Provenance parse(JsonObject o, String what) throws InvalidFormatException {
    for (String k : o.keySet()) {
      if (!FIELDS.contains(k)) {
        throw new InvalidFormatException(what + ": unknown field '" + k + "'");
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : StrictJson.object(o, "settings", what).entrySet()) {
      if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
        throw new InvalidFormatException(what + ": setting '" + e.getKey() + "' must be a string");
      }
      settings.put(e.getKey(), e.getValue().getAsString());
    }
    Integer samples = null;
    String sha = null;
    if (o.has("calibrationSamples") || o.has("calibrationSha256")) {
      samples = (int) StrictJson.nonNegativeLong(StrictJson.member(o, "calibrationSamples", what), Integer.MAX_VALUE,
          what + " calibrationSamples");
      sha = StrictJson.string(o, "calibrationSha256", what);
    }
    long seed;
    try {
      seed = new BigDecimal(StrictJson.string(o, "seed", what)).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidFormatException(what + ": seed is not a 64-bit integer", e);
    }
    Instant created;
    try {
      created = Instant.parse(StrictJson.string(o, "createdAt", what));
    } catch (DateTimeParseException e) {
      throw new InvalidFormatException(what + ": createdAt is not an ISO-8601 instant", e);
    }
    try {
      return new Provenance(StrictJson.string(o, "criterion", what), settings, samples, sha, seed,
          StrictJson.string(o, "prunekitVersion", what), StrictJson.string(o, "djlVersion", what),
          StrictJson.string(o, "nd4jVersion", what), StrictJson.string(o, "javaVersion", what), created);
    } catch (IllegalArgumentException e) {
      throw new InvalidFormatException(what + ": " + e.getMessage(), e);
    }
  }
}
