package dev.chorus.yjs.lib0;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Helpers that give Java values JavaScript semantics (see the package documentation). */
public final class JsValues {
  private JsValues() {}

  /**
   * Converts a Java value into the JavaScript value model: every {@link Number} except
   * {@link BigInteger} becomes a {@link Double}, collections become lists and maps become
   * insertion-ordered maps, recursively.
   *
   * @throws IllegalArgumentException for values with no JavaScript counterpart
   */
  public static Object normalize(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Double
        || v instanceof BigInteger || v instanceof byte[] || v == Undefined.INSTANCE) {
      return v;
    }
    if (v instanceof Number) {
      return toDouble((Number) v);
    }
    if (v instanceof Collection) {
      List<Object> out = new ArrayList<>(((Collection<?>) v).size());
      for (Object o : (Collection<?>) v) {
        out.add(normalize(o));
      }
      return out;
    }
    if (v instanceof Object[]) {
      List<Object> out = new ArrayList<>();
      for (Object o : (Object[]) v) {
        out.add(normalize(o));
      }
      return out;
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("object keys must be strings: " + e.getKey());
        }
        out.put((String) e.getKey(), normalize(e.getValue()));
      }
      return out;
    }
    throw new IllegalArgumentException("not a JavaScript value: " + v.getClass().getName());
  }

  /** The JavaScript number for a Java number ({@link BigDecimal} and {@link BigInteger} rounded). */
  public static double toDouble(Number n) {
    return n.doubleValue();
  }

  /** Whether a key is an array index, which JavaScript's {@code Object.keys} lists first, ascending. */
  static boolean isArrayIndex(String k) {
    int n = k.length();
    if (n == 0 || n > 10 || (n > 1 && k.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = k.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Long.parseLong(k) < 0xFFFFFFFFL;
  }

  /** The keys of a JavaScript object in {@code Object.keys} order. */
  public static List<String> objectKeys(Map<?, ?> map) {
    List<String> indexes = null;
    List<String> rest = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      String k = (String) Objects.requireNonNull(key, "null key");
      if (isArrayIndex(k)) {
        if (indexes == null) {
          indexes = new ArrayList<>();
        }
        indexes.add(k);
      } else {
        rest.add(k);
      }
    }
    if (indexes == null) {
      return rest;
    }
    indexes.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    indexes.addAll(rest);
    return indexes;
  }

  /** JavaScript's {@code Number.prototype.toString()} (shortest round-trip digits). */
  public static String numberToString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      if (Math.abs(d) < 9.007199254740992E15) {
        return Long.toString((long) d);
      }
      return new BigDecimal(d).toBigInteger().toString();
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal exact = new BigDecimal(Math.abs(d));
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p));
      if (r.doubleValue() == Math.abs(d)) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // value = 0.digits * 10^n
    StringBuilder sb = new StringBuilder(sign);
    if (k <= n && n <= 21) {
      sb.append(digits);
      sb.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(e >= 0 ? "+" : "-").append(Math.abs(e));
    }
    return sb.toString();
  }
}
