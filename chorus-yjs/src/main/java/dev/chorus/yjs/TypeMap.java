package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsValues;
import java.util.ArrayList;
import java.util.List;

/** Keyed operations shared by maps, text attributes and XML attributes. */
final class TypeMap {
  private TypeMap() {}

  static void delete(Transaction transaction, AbstractType parent, String key) {
    Item c = parent.map.get(key);
    if (c != null) {
      c.delete(transaction);
    }
  }

  static void set(Transaction transaction, AbstractType parent, String key, Object value) {
    Item left = parent.map.get(key);
    Doc doc = transaction.doc;
    long ownClientId = doc.clientId;
    Content content = TypeList.nonJsonContent(value);
    if (content == null) {
      ArrayList<Object> one = new ArrayList<>(1);
      one.add(JsValues.normalize(value));
      content = new ContentAny(one);
    }
    new Item(ownClientId, doc.store.getState(ownClientId), left, left == null ? null : left.lastId(), null, null,
        parent, key, content).integrate(transaction, 0);
  }

  /** The current value of {@code key}, or null when absent. */
  static Object get(AbstractType parent, String key) {
    Item val = parent.map.get(key);
    return val != null && !val.deleted() ? val.content.get(val.length - 1) : null;
  }

  static boolean has(AbstractType parent, String key) {
    Item val = parent.map.get(key);
    return val != null && !val.deleted();
  }

  static List<String> keys(AbstractType parent) {
    List<String> out = new ArrayList<>();
    parent.map.forEach((k, v) -> {
      if (!v.deleted()) {
        out.add(k);
      }
    });
    return out;
  }
}
