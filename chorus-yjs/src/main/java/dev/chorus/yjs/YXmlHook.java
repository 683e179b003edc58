package dev.chorus.yjs;

import java.util.LinkedHashMap;
import java.util.Map;

/** A custom node in an XML tree: a hook name and a map of values (rendered by the application). */
public final class YXmlHook extends AbstractType {
  private final String hookName;

  public YXmlHook(String hookName) {
    this.hookName = hookName;
  }

  public String hookName() {
    return hookName;
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlHook(hookName);
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.XML_HOOK);
    encoder.writeKey(hookName);
  }

  public void set(String key, Object value) {
    checkIntegrated();
    doc.transact(t -> TypeMap.set(t, this, key, value));
  }

  public Object get(String key) {
    return TypeMap.get(this, key);
  }

  @Override
  public Map<String, Object> toJSON() {
    Map<String, Object> out = new LinkedHashMap<>();
    YMap.mapToJson(this, out);
    return out;
  }

  /** What JavaScript prints for a plain object. */
  @Override
  public String toString() {
    return "[object Object]";
  }
}
