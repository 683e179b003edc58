package dev.chorus.yjs;

import java.util.List;

/**
 * A formatting mark in a text: from here on, attribute {@code key} has {@code value} ({@code null}
 * ends it). Takes a clock but no position.
 */
final class ContentFormat extends Content {
  final String key;
  final Object value;

  ContentFormat(String key, Object value) {
    this.key = key;
    this.value = value;
  }

  @Override int length() { return 1; }
  @Override boolean countable() { return false; }
  @Override void collect(List<Object> out) {}
  @Override Object get(int i) { throw new IndexOutOfBoundsException(); }
  @Override Content copy() { return new ContentFormat(key, value); }
  @Override Content splice(int offset) { throw new UnsupportedOperationException(); }
  @Override boolean mergeWith(Content right) { return false; }

  @Override
  void integrate(Transaction transaction, Item item) {
    AbstractType p = item.parent;
    // formats shift positions in ways the markers do not track
    p.searchMarker = null;
    p.hasFormatting = true;
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeKey(key);
    encoder.writeJson(value);
  }

  @Override int ref() { return ContentRefs.FORMAT; }
}
