package dev.chorus.yjs.lib0;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as JavaScript's {@code JSON.stringify} writes it and {@code JSON.parse} reads it,
 * for the JavaScript value model of this package. Yjs stores legacy JSON content and v1 embeds
 * as such strings, so byte compatibility depends on the exact output.
 */
public final class JsJson {
  /** Deepest nesting {@link #parse} accepts. */
  public static final int MAX_DEPTH = 512;

  private JsJson() {}

  /**
   * {@code JSON.stringify(v)}; returns {@code null} where JavaScript returns {@code undefined}.
   *
   * @throws IllegalArgumentException for a bigint, which JavaScript refuses too
   */
  public static String stringify(Object v) {
    StringBuilder sb = new StringBuilder();
    return write(sb, v) ? sb.toString() : null;
  }

  private static boolean write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v == Undefined.INSTANCE) {
      return false;
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof BigInteger) {
      throw new IllegalArgumentException("Do not know how to serialize a BigInt");
    } else if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? JsValues.numberToString(d) : "null");
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      sb.append('{');
      for (int i = 0; i < b.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append('"').append(i).append("\":").append(b[i] & 0xFF);
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        if (!write(sb, o)) {
          sb.append("null");
        }
      }
      sb.append(']');
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      sb.append('{');
      boolean first = true;
      for (String k : JsValues.objectKeys(m)) {
        Object o = m.get(k);
        if (o == Undefined.INSTANCE) {
          continue;
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, k);
        sb.append(':');
        write(sb, o);
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("not a JavaScript value: " + v.getClass().getName());
    }
    return true;
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          boolean lone = Character.isHighSurrogate(c)
              ? !(i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)))
              : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /**
   * {@code JSON.parse(text)}: numbers become doubles, objects insertion-ordered maps.
   *
   * @throws Lib0FormatException on malformed JSON or nesting deeper than {@link #MAX_DEPTH}
   */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.i != text.length()) {
      throw new Lib0FormatException("unexpected trailing JSON at " + p.i);
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    Lib0FormatException err() {
      return new Lib0FormatException("malformed JSON at " + i);
    }

    char peek() {
      if (i >= s.length()) {
        throw err();
      }
      return s.charAt(i);
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw new Lib0FormatException("JSON nested deeper than " + MAX_DEPTH);
      }
      char c = peek();
      switch (c) {
        case '{': {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (peek() == '}') {
            i++;
            return m;
          }
          while (true) {
            ws();
            if (peek() != '"') {
              throw err();
            }
            String k = string();
            ws();
            if (peek() != ':') {
              throw err();
            }
            i++;
            ws();
            m.put(k, value(depth + 1));
            ws();
            char d = peek();
            i++;
            if (d == '}') {
              return m;
            }
            if (d != ',') {
              throw err();
            }
          }
        }
        case '[': {
          i++;
          List<Object> l = new ArrayList<>();
          ws();
          if (peek() == ']') {
            i++;
            return l;
          }
          while (true) {
            ws();
            l.add(value(depth + 1));
            ws();
            char d = peek();
            i++;
            if (d == ']') {
              return l;
            }
            if (d != ',') {
              throw err();
            }
          }
        }
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          return number();
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) {
        throw err();
      }
      i += word.length();
      return v;
    }

    Double number() {
      int start = i;
      if (i < s.length() && s.charAt(i) == '-') {
        i++;
      }
      int intStart = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      if (i == intStart || (s.charAt(intStart) == '0' && i - intStart > 1)) {
        throw err();
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int f = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        if (f == i) {
          throw err();
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        int e = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        if (e == i) {
          throw err();
        }
      }
      return Double.parseDouble(s.substring(start, i));
    }

    String string() {
      i++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw err();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = peek();
        i++;
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (i + 4 > s.length()) {
              throw err();
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw err();
            }
            i += 4;
            break;
          default:
            throw err();
        }
      }
    }
  }
}
