package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** List operations shared by arrays, texts and XML children (positions count visible content only). */
final class TypeList {
  private TypeList() {}

  static IndexOutOfBoundsException lengthExceeded() {
    return new IndexOutOfBoundsException("Length exceeded!");
  }

  static List<Object> toArray(AbstractType type) {
    List<Object> cs = new ArrayList<>();
    for (Item n = type.start; n != null; n = n.right) {
      if (n.countable() && !n.deleted()) {
        n.content.collect(cs);
      }
    }
    return cs;
  }

  static List<Object> toJson(AbstractType type) {
    List<Object> out = new ArrayList<>();
    for (Object c : toArray(type)) {
      out.add(valueToJson(c));
    }
    return out;
  }

  static Object valueToJson(Object c) {
    if (c instanceof AbstractType) {
      return ((AbstractType) c).toJSON();
    }
    if (c instanceof Doc) {
      return new LinkedHashMap<>(((Doc) c).toJSON());
    }
    return c;
  }

  static Object get(AbstractType type, int index) {
    SearchMarker marker = SearchMarker.find(type, index);
    Item n = type.start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
    }
    for (; n != null; n = n.right) {
      if (!n.deleted() && n.countable()) {
        if (index < n.length) {
          return n.content.get(index);
        }
        index -= n.length;
      }
    }
    throw new IndexOutOfBoundsException("index " + index);
  }

  /** Wraps a user value into the content kind Yjs would choose; JSON-like values become null. */
  static Content nonJsonContent(Object c) {
    if (c instanceof byte[]) {
      return new ContentBinary(((byte[]) c).clone());
    }
    if (c instanceof Doc) {
      return new ContentDoc((Doc) c, new LinkedHashMap<>());
    }
    if (c instanceof AbstractType) {
      AbstractType t = (AbstractType) c;
      if (t.doc != null || t.item != null) {
        throw new IllegalArgumentException("This type was already integrated in a document");
      }
      return new ContentType(t);
    }
    return null;
  }

  static void insertGenericsAfter(Transaction transaction, AbstractType parent, Item referenceItem, List<?> content) {
    Item left = referenceItem;
    Doc doc = transaction.doc;
    long ownClientId = doc.clientId;
    StructStore store = doc.store;
    Item right = referenceItem == null ? parent.start : referenceItem.right;
    ArrayList<Object> jsonContent = new ArrayList<>();
    for (Object c : content) {
      Content special = nonJsonContent(c);
      if (special == null) {
        jsonContent.add(JsValues.normalize(c));
        continue;
      }
      left = packJson(transaction, parent, left, right, jsonContent);
      jsonContent = new ArrayList<>();
      Item item = new Item(ownClientId, store.getState(ownClientId), left, left == null ? null : left.lastId(),
          right, right == null ? null : right.id(), parent, null, special);
      item.integrate(transaction, 0);
      left = item;
    }
    packJson(transaction, parent, left, right, jsonContent);
  }

  private static Item packJson(Transaction transaction, AbstractType parent, Item left, Item right, ArrayList<Object> json) {
    if (json.isEmpty()) {
      return left;
    }
    long client = transaction.doc.clientId;
    Item item = new Item(client, transaction.doc.store.getState(client), left, left == null ? null : left.lastId(),
        right, right == null ? null : right.id(), parent, null, new ContentAny(json));
    item.integrate(transaction, 0);
    return item;
  }

  static void insertGenerics(Transaction transaction, AbstractType parent, int index, List<?> content) {
    if (index > parent.length || index < 0) {
      throw lengthExceeded();
    }
    if (index == 0) {
      if (parent.searchMarker != null) {
        SearchMarker.updateChanges(parent.searchMarker, index, content.size());
      }
      insertGenericsAfter(transaction, parent, null, content);
      return;
    }
    int startIndex = index;
    SearchMarker marker = SearchMarker.find(parent, index);
    Item n = parent.start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
      if (index == 0) {
        // take the visible item to the left so the loop below can stop at its end
        n = n.prev();
        index += (n != null && n.countable() && !n.deleted()) ? n.length : 0;
      }
    }
    for (; n != null; n = n.right) {
      if (!n.deleted() && n.countable()) {
        if (index <= n.length) {
          if (index < n.length) {
            transaction.doc.store.getItemCleanStart(transaction, new ID(n.client, n.clock + index));
          }
          break;
        }
        index -= n.length;
      }
    }
    if (parent.searchMarker != null) {
      SearchMarker.updateChanges(parent.searchMarker, startIndex, content.size());
    }
    insertGenericsAfter(transaction, parent, n, content);
  }

  static void pushGenerics(Transaction transaction, AbstractType parent, List<?> content) {
    Item n = parent.start;
    int best = 0;
    if (parent.searchMarker != null) {
      for (SearchMarker m : parent.searchMarker) {
        if (m.index > best) {
          best = m.index;
          n = m.p;
        }
      }
    }
    if (n != null) {
      while (n.right != null) {
        n = n.right;
      }
    }
    insertGenericsAfter(transaction, parent, n, content);
  }

  static void delete(Transaction transaction, AbstractType parent, int index, int length) {
    if (length == 0) {
      return;
    }
    if (index < 0 || length < 0) {
      throw lengthExceeded();
    }
    int startIndex = index;
    int startLength = length;
    SearchMarker marker = SearchMarker.find(parent, index);
    Item n = parent.start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
    }
    for (; n != null && index > 0; n = n.right) {
      if (!n.deleted() && n.countable()) {
        if (index < n.length) {
          transaction.doc.store.getItemCleanStart(transaction, new ID(n.client, n.clock + index));
        }
        index -= n.length;
      }
    }
    while (length > 0 && n != null) {
      if (!n.deleted()) {
        if (length < n.length) {
          transaction.doc.store.getItemCleanStart(transaction, new ID(n.client, n.clock + length));
        }
        n.delete(transaction);
        length -= n.length;
      }
      n = n.right;
    }
    if (length > 0) {
      throw lengthExceeded();
    }
    if (parent.searchMarker != null) {
      SearchMarker.updateChanges(parent.searchMarker, startIndex, -startLength + length);
    }
  }
}
