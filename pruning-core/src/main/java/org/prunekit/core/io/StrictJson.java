package org.prunekit.core.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict JSON parsing for file headers: RFC 8259 only (no comments, no unquoted names), the whole
 * text must be one value, duplicate object keys are errors, numbers keep their exact decimal value.
 */
final class StrictJson {
  private StrictJson() {}

  /** Decodes UTF-8 strictly (malformed bytes are an error). */
  static String utf8(byte[] bytes, String what) throws InvalidFormatException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidFormatException(what + " is not valid UTF-8", e);
    }
  }

  /** Parses {@code text} into a JSON object. */
  static JsonObject parseObject(String text, String what) throws InvalidFormatException {
    JsonReader r = new JsonReader(new StringReader(text));
    r.setStrictness(Strictness.STRICT);
    try {
      JsonElement e = read(r, what);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new InvalidFormatException(what + ": trailing content after the JSON value");
      }
      if (!e.isJsonObject()) {
        throw new InvalidFormatException(what + ": expected a JSON object, got " + kind(e));
      }
      return e.getAsJsonObject();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      if (e instanceof InvalidFormatException ife) {
        throw ife;
      }
      throw new InvalidFormatException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static JsonElement read(JsonReader r, String what) throws IOException {
    switch (r.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject o = new JsonObject();
        r.beginObject();
        while (r.hasNext()) {
          String k = r.nextName();
          if (o.has(k)) {
            throw new InvalidFormatException(what + ": duplicate key '" + k + "'");
          }
          o.add(k, read(r, what));
        }
        r.endObject();
        return o;
      }
      case BEGIN_ARRAY -> {
        JsonArray a = new JsonArray();
        r.beginArray();
        while (r.hasNext()) {
          a.add(read(r, what));
        }
        r.endArray();
        return a;
      }
      case STRING -> {
        return new JsonPrimitive(r.nextString());
      }
      case NUMBER -> {
        return new JsonPrimitive(new BigDecimal(r.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(r.nextBoolean());
      }
      case NULL -> {
        r.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new InvalidFormatException(what + ": unexpected " + r.peek() + " at " + r.getPath());
    }
  }

  /** A short description of an element's kind for messages. */
  static String kind(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    return e.getAsJsonPrimitive().isNumber() ? "a number" : e.getAsJsonPrimitive().isBoolean() ? "a boolean" : "a string";
  }

  /** The member {@code key} of {@code o}, required. */
  static JsonElement member(JsonObject o, String key, String what) throws InvalidFormatException {
    JsonElement e = o.get(key);
    if (e == null) {
      throw new InvalidFormatException(what + ": missing \"" + key + "\"");
    }
    return e;
  }

  /** A string member. */
  static String string(JsonObject o, String key, String what) throws InvalidFormatException {
    JsonElement e = member(o, key, what);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new InvalidFormatException(what + ": \"" + key + "\" must be a string, got " + kind(e));
    }
    return e.getAsString();
  }

  /** An array member. */
  static JsonArray array(JsonObject o, String key, String what) throws InvalidFormatException {
    JsonElement e = member(o, key, what);
    if (!e.isJsonArray()) {
      throw new InvalidFormatException(what + ": \"" + key + "\" must be an array, got " + kind(e));
    }
    return e.getAsJsonArray();
  }

  /** An object member. */
  static JsonObject object(JsonObject o, String key, String what) throws InvalidFormatException {
    JsonElement e = member(o, key, what);
    if (!e.isJsonObject()) {
      throw new InvalidFormatException(what + ": \"" + key + "\" must be an object, got " + kind(e));
    }
    return e.getAsJsonObject();
  }

  /** An exact non-negative integer within {@code [0, max]}. */
  static long nonNegativeLong(JsonElement e, long max, String what) throws InvalidFormatException {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new InvalidFormatException(what + " must be a number, got " + kind(e));
    }
    BigDecimal d = e.getAsBigDecimal();
    try {
      long v = d.longValueExact();
      if (v < 0 || v > max) {
        throw new InvalidFormatException(what + " = " + v + " is out of range [0, " + max + "]");
      }
      return v;
    } catch (ArithmeticException ex) {
      throw new InvalidFormatException(what + " = " + d + " is not an integer in range", ex);
    }
  }

  /** An int array (each element a non-negative int). */
  static int[] intArray(JsonElement e, String what) throws InvalidFormatException {
    if (e == null || !e.isJsonArray()) {
      throw new InvalidFormatException(what + " must be an array, got " + kind(e));
    }
    JsonArray a = e.getAsJsonArray();
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (int) nonNegativeLong(a.get(i), Integer.MAX_VALUE, what + "[" + i + "]");
    }
    return v;
  }
}
