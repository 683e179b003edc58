package dev.chorus.yjs;

import java.util.List;

/** One binary value (a Uint8Array in JavaScript). */
final class ContentBinary extends Content {
  final byte[] content;

  ContentBinary(byte[] content) {
    this.content = content;
  }

  @Override int length() { return 1; }
  @Override boolean countable() { return true; }
  @Override void collect(List<Object> out) { out.add(content); }
  @Override Object get(int i) { return content; }
  @Override Content copy() { return new ContentBinary(content); }
  @Override Content splice(int offset) { throw new UnsupportedOperationException(); }
  @Override boolean mergeWith(Content right) { return false; }
  @Override void write(UpdateEncoder encoder, int offset) { encoder.writeBuf(content); }
  @Override int ref() { return ContentRefs.BINARY; }
}
