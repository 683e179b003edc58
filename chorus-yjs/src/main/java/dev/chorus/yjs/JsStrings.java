package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsValues;
import dev.chorus.yjs.lib0.Undefined;
import java.util.List;
import java.util.Map;

/** JavaScript's {@code String(value)}, which Yjs uses when it renders XML. */
final class JsStrings {
  private JsStrings() {}

  static String of(Object v) {
    if (v == null) {
      return "null";
    }
    if (v == Undefined.INSTANCE) {
      return "undefined";
    }
    if (v instanceof Double) {
      return JsValues.numberToString((Double) v);
    }
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder();
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        Object o = l.get(i);
        if (o != null && o != Undefined.INSTANCE) {
          sb.append(of(o));
        }
      }
      return sb.toString();
    }
    if (v instanceof byte[]) {
      StringBuilder sb = new StringBuilder();
      byte[] b = (byte[]) v;
      for (int i = 0; i < b.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(b[i] & 0xFF);
      }
      return sb.toString();
    }
    if (v instanceof Map || v instanceof YMap || v instanceof YXmlHook || v instanceof YArray) {
      return v instanceof YArray ? of(((YArray) v).toJSON()) : "[object Object]";
    }
    return v.toString();
  }
}
