package org.prunekit.core.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A character vocabulary: token id {@code i} is the {@code i}-th character. Read from a JSON file
 * {@code {"chars": ["\n", " ", ...]}} (the char-level models' {@code vocab.json}).
 */
public final class CharVocab {
  private final String chars;
  private final Map<Character, Integer> ids = new HashMap<>();

  /**
   * Creates a vocabulary from its characters in id order.
   *
   * @throws IllegalArgumentException if it is empty or a character repeats (naming it)
   */
  public CharVocab(String chars) {
    this.chars = Objects.requireNonNull(chars, "chars");
    if (chars.isEmpty()) {
      throw new IllegalArgumentException("character vocabulary is empty");
    }
    for (int i = 0; i < chars.length(); i++) {
      Integer old = ids.put(chars.charAt(i), i);
      if (old != null) {
        throw new IllegalArgumentException("character vocabulary repeats " + quote(chars.charAt(i)) + " at ids " + old
            + " and " + i);
      }
    }
  }

  /**
   * Reads {@code {"chars": [...]}}; every entry must be a one-character string.
   *
   * @throws IOException if the file cannot be read or is not such a JSON object (naming the entry)
   */
  public static CharVocab load(Path json) throws IOException {
    String text = Files.readString(json, StandardCharsets.UTF_8);
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      JsonElement e = o.get("chars");
      if (e == null || !e.isJsonArray()) {
        throw new IOException("vocabulary " + json + " has no \"chars\" array");
      }
      JsonArray a = e.getAsJsonArray();
      StringBuilder sb = new StringBuilder(a.size());
      for (int i = 0; i < a.size(); i++) {
        String s = a.get(i).getAsString();
        if (s.length() != 1) {
          throw new IOException("vocabulary " + json + ": chars[" + i + "] is \"" + s + "\", not one character");
        }
        sb.append(s);
      }
      return new CharVocab(sb.toString());
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new IOException("vocabulary " + json + " is not a JSON object with a \"chars\" string array: "
          + e.getMessage(), e);
    }
  }

  /** Number of tokens. */
  public int size() {
    return chars.length();
  }

  /** The character of token {@code id}. */
  public char character(int id) {
    return chars.charAt(id);
  }

  /** The characters in id order. */
  public List<Character> characters() {
    return chars.chars().mapToObj(c -> (char) c).toList();
  }

  /**
   * Encodes text.
   *
   * @throws IllegalArgumentException naming the first character (and its offset) not in the
   *     vocabulary
   */
  public int[] encode(String text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      Integer id = ids.get(text.charAt(i));
      if (id == null) {
        throw new IllegalArgumentException("character " + quote(text.charAt(i)) + " at offset " + i
            + " is not in the vocabulary of " + size());
      }
      out[i] = id;
    }
    return out;
  }

  /** Decodes token ids. */
  public String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder(tokens.length);
    for (int t : tokens) {
      sb.append(character(t));
    }
    return sb.toString();
  }

  private static String quote(char c) {
    return c < 32 || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }
}
