package org.prunekit.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python-literal header dictionary of a {@code .npy} file, e.g. {@code {'descr':
 * '<f4', 'fortran_order': False, 'shape': (3, 4), }}. Accepts the subset NumPy writes: a dict
 * with string keys whose values are strings, {@code True}/{@code False}, integers, tuples or
 * lists of these.
 */
final class NpyHeader {
  private final String text;
  private final String label;
  private int pos;

  private NpyHeader(String text, String label) {
    this.text = text;
    this.label = label;
  }

  /** Parses the header text into a map (tuples and lists become {@code List<Object>}). */
  static Map<String, Object> parse(String text, String label) throws InvalidFormatException {
    NpyHeader p = new NpyHeader(text, label);
    Object v = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw p.error("header is not a dict");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) m;
    return r;
  }

  private InvalidFormatException error(String msg) {
    return new InvalidFormatException(label + ": bad .npy header (" + msg + " at character " + pos + "): " + text.strip());
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean eat(char c) {
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private Object value() throws InvalidFormatException {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    if (c == '{') {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      while (!eat('}')) {
        Object k = value();
        if (!(k instanceof String key)) {
          throw error("dict key is not a string");
        }
        if (!eat(':')) {
          throw error("expected ':'");
        }
        if (m.put(key, value()) != null) {
          throw error("duplicate key '" + key + "'");
        }
        if (!eat(',')) {
          if (!eat('}')) {
            throw error("expected ',' or '}'");
          }
          break;
        }
      }
      return m;
    }
    if (c == '(' || c == '[') {
      char close = c == '(' ? ')' : ']';
      pos++;
      List<Object> l = new ArrayList<>();
      while (!eat(close)) {
        l.add(value());
        if (!eat(',')) {
          if (!eat(close)) {
            throw error("expected ',' or '" + close + "'");
          }
          break;
        }
      }
      return l;
    }
    if (c == '\'' || c == '"') {
      int end = text.indexOf(c, pos + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String s = text.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }
    if (text.startsWith("True", pos)) {
      pos += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("False", pos)) {
      pos += 5;
      return Boolean.FALSE;
    }
    int start = pos;
    if (c == '-') {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == 'L') {
      pos++;
    }
    String num = text.substring(start, pos).replace("L", "");
    if (num.isEmpty() || num.equals("-")) {
      throw error("unexpected character '" + c + "'");
    }
    try {
      return Long.parseLong(num);
    } catch (NumberFormatException e) {
      throw error("bad integer '" + num + "'");
    }
  }
}
