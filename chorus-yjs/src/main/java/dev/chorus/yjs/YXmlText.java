package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Text inside an XML tree; formatting attributes render as nested elements. */
public final class YXmlText extends YText {
  public YXmlText() {}

  public YXmlText(String initial) {
    super(initial);
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlText();
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.XML_TEXT);
  }

  /** Each delta insert wrapped in one element per attribute, names and attributes sorted, as Yjs does. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> op : toDelta()) {
      List<String> nodeNames = new ArrayList<>();
      Object attributes = op.get("attributes");
      if (attributes instanceof Map) {
        for (Object k : ((Map<?, ?>) attributes).keySet()) {
          nodeNames.add((String) k);
        }
      }
      Collections.sort(nodeNames);
      for (String nodeName : nodeNames) {
        out.append('<').append(nodeName);
        Object attrObj = ((Map<?, ?>) attributes).get(nodeName);
        // JavaScript's for...in: object keys, or the indexes of a string or array
        List<String> keys = new ArrayList<>();
        if (attrObj instanceof Map) {
          for (Object k : ((Map<?, ?>) attrObj).keySet()) {
            keys.add((String) k);
          }
        } else if (attrObj instanceof String || attrObj instanceof List) {
          int n = attrObj instanceof String ? ((String) attrObj).length() : ((List<?>) attrObj).size();
          for (int i = 0; i < n; i++) {
            keys.add(Integer.toString(i));
          }
        }
        Collections.sort(keys);
        for (String key : keys) {
          Object v;
          if (attrObj instanceof Map) {
            v = ((Map<?, ?>) attrObj).get(key);
          } else if (attrObj instanceof String) {
            v = String.valueOf(((String) attrObj).charAt(Integer.parseInt(key)));
          } else {
            v = ((List<?>) attrObj).get(Integer.parseInt(key));
          }
          out.append(' ').append(key).append("=\"").append(JsStrings.of(v)).append('"');
        }
        out.append('>');
      }
      out.append(JsStrings.of(op.get("insert")));
      for (int i = nodeNames.size() - 1; i >= 0; i--) {
        out.append("</").append(nodeNames.get(i)).append('>');
      }
    }
    return out.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }
}
