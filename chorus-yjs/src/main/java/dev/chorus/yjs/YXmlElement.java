package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An XML element: a node name, attributes and child nodes. */
public final class YXmlElement extends YXmlFragment {
  private final String nodeName;
  private Map<String, Object> prelimAttrs = new LinkedHashMap<>();

  public YXmlElement(String nodeName) {
    this.nodeName = nodeName;
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  void integrate(Doc y, Item item) {
    super.integrate(y, item);
    Map<String, Object> prelim = prelimAttrs;
    prelimAttrs = null;
    if (prelim != null) {
      prelim.forEach(this::setAttribute);
    }
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlElement(nodeName);
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.XML_ELEMENT);
    encoder.writeKey(nodeName);
  }

  public void setAttribute(String name, Object value) {
    if (doc != null) {
      doc.transact(t -> TypeMap.set(t, this, name, value));
    } else {
      prelimAttrs.put(name, value);
    }
  }

  public void removeAttribute(String name) {
    if (doc != null) {
      doc.transact(t -> TypeMap.delete(t, this, name));
    } else {
      prelimAttrs.remove(name);
    }
  }

  public Object getAttribute(String name) {
    return doc == null ? prelimAttrs.get(name) : TypeMap.get(this, name);
  }

  public Map<String, Object> getAttributes() {
    if (doc == null) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(prelimAttrs));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : TypeMap.keys(this)) {
      out.put(k, TypeMap.get(this, k));
    }
    return out;
  }

  /** {@code <nodename a="1" b="2">children</nodename>} with attributes sorted by name, as Yjs renders it. */
  @Override
  public String toString() {
    Map<String, Object> attrs = getAttributes();
    List<String> keys = new ArrayList<>(dev.chorus.yjs.lib0.JsValues.objectKeys(attrs));
    Collections.sort(keys);
    StringBuilder sb = new StringBuilder();
    String name = nodeName.toLowerCase(java.util.Locale.ROOT);
    sb.append('<').append(name);
    for (String k : keys) {
      sb.append(' ').append(k).append("=\"").append(JsStrings.of(attrs.get(k))).append('"');
    }
    sb.append('>').append(super.toString()).append("</").append(name).append('>');
    return sb.toString();
  }
}
