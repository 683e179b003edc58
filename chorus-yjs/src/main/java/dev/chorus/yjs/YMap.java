package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shared map from string keys to values (JSON-like values, {@code byte[]}, nested types,
 * sub-documents). Concurrent writes of one key: the write of the higher client id wins.
 * A new {@code YMap} may be filled before it is inserted into a document; the entries are written
 * when it is.
 */
public final class YMap extends AbstractType {
  private LinkedHashMap<String, Object> prelimContent = new LinkedHashMap<>();

  public YMap() {}

  @Override
  void integrate(Doc y, Item item) {
    super.integrate(y, item);
    LinkedHashMap<String, Object> prelim = prelimContent;
    prelimContent = null;
    if (prelim != null) {
      prelim.forEach(this::set);
    }
  }

  @Override
  AbstractType copyEmpty() {
    return new YMap();
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.MAP);
  }

  /** Sets {@code key}; the value must be JSON-like, {@code byte[]}, a new shared type or a {@link Doc}. */
  public void set(String key, Object value) {
    if (doc != null) {
      doc.transact(t -> TypeMap.set(t, this, key, value));
    } else {
      prelimContent.put(key, value);
    }
  }

  public void delete(String key) {
    if (doc != null) {
      doc.transact(t -> TypeMap.delete(t, this, key));
    } else {
      prelimContent.remove(key);
    }
  }

  /** Removes every key. */
  public void clear() {
    if (doc != null) {
      doc.transact(t -> {
        for (String k : TypeMap.keys(this)) {
          TypeMap.delete(t, this, k);
        }
      });
    } else {
      prelimContent.clear();
    }
  }

  /** The value of {@code key} (numbers are {@link Double}), or null when absent. */
  public Object get(String key) {
    if (doc == null) {
      return prelimContent.get(key);
    }
    return TypeMap.get(this, key);
  }

  public boolean has(String key) {
    return doc == null ? prelimContent.containsKey(key) : TypeMap.has(this, key);
  }

  public int size() {
    return keys().size();
  }

  /** Keys in first-insertion order (as Yjs iterates them). */
  public List<String> keys() {
    return doc == null ? new ArrayList<>(prelimContent.keySet()) : TypeMap.keys(this);
  }

  /** A snapshot of the entries; values as {@link #get}. */
  public Map<String, Object> entries() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : keys()) {
      out.put(k, get(k));
    }
    return out;
  }

  @Override
  void callObserver(Transaction transaction, Set<String> parentSubs) {
    callTypeObservers(transaction, new YEvent(this, transaction, parentSubs));
  }

  @Override
  public Map<String, Object> toJSON() {
    Map<String, Object> out = new LinkedHashMap<>();
    mapToJson(this, out);
    return out;
  }

  static void mapToJson(AbstractType type, Map<String, Object> out) {
    type.map.forEach((key, item) -> {
      if (!item.deleted()) {
        out.put(key, TypeList.valueToJson(item.content.get(item.length - 1)));
      }
    });
  }
}
