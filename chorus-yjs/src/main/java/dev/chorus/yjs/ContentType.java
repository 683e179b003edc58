package dev.chorus.yjs;

import java.util.List;

/** A nested shared type (a map in an array, a text in a map, an XML element, ...). */
final class ContentType extends Content {
  final AbstractType type;

  ContentType(AbstractType type) {
    this.type = type;
  }

  @Override int length() { return 1; }
  @Override boolean countable() { return true; }
  @Override void collect(List<Object> out) { out.add(type); }
  @Override Object get(int i) { return type; }
  @Override Content copy() { return new ContentType(type.copyEmpty()); }
  @Override Content splice(int offset) { throw new UnsupportedOperationException(); }
  @Override boolean mergeWith(Content right) { return false; }

  @Override
  void integrate(Transaction transaction, Item item) {
    type.integrate(transaction.doc, item);
  }

  @Override
  void delete(Transaction transaction) {
    for (Item item = type.start; item != null; item = item.right) {
      if (!item.deleted()) {
        item.delete(transaction);
      } else if (item.clock < transaction.beforeState.get(item.client)) {
        // already deleted before this transaction: its neighbours may now merge
        transaction.mergeStructs.add(item);
      }
    }
    for (Item item : type.map.values()) {
      if (!item.deleted()) {
        item.delete(transaction);
      } else if (item.clock < transaction.beforeState.get(item.client)) {
        transaction.mergeStructs.add(item);
      }
    }
    transaction.forgetChanged(type);
  }

  @Override
  void gc(StructStore store) {
    for (Item item = type.start; item != null; item = item.right) {
      item.gc(store, true);
    }
    type.start = null;
    for (Item item : type.map.values()) {
      for (Item i = item; i != null; i = i.left) {
        i.gc(store, true);
      }
    }
    type.map.clear();
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    type.writeRef(encoder);
  }

  @Override int ref() { return ContentRefs.TYPE; }
}
