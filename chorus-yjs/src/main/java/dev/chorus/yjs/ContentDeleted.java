package dev.chorus.yjs;

import java.util.List;

/** Deleted content whose values were dropped but whose item (and position) is kept. */
final class ContentDeleted extends Content {
  int len;

  ContentDeleted(int len) {
    this.len = len;
  }

  static ContentDeleted read(UpdateDecoder decoder) {
    return new ContentDeleted(decoder.readLen());
  }

  @Override int length() { return len; }
  @Override boolean countable() { return false; }
  @Override void collect(List<Object> out) {}
  @Override Object get(int i) { throw new IndexOutOfBoundsException(); }
  @Override Content copy() { return new ContentDeleted(len); }

  @Override
  Content splice(int offset) {
    ContentDeleted right = new ContentDeleted(len - offset);
    len = offset;
    return right;
  }

  @Override
  boolean mergeWith(Content right) {
    len += ((ContentDeleted) right).len;
    return true;
  }

  @Override
  void integrate(Transaction transaction, Item item) {
    transaction.deleteSet.add(item.client, item.clock, len);
    item.markDeleted();
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeLen(len - offset);
  }

  @Override int ref() { return ContentRefs.DELETED; }
}
