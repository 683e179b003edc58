package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.List;

/** JavaScript values (see {@link dev.chorus.yjs.lib0}) stored with lib0's {@code any} encoding. */
final class ContentAny extends Content {
  ArrayList<Object> arr;

  ContentAny(ArrayList<Object> arr) {
    this.arr = arr;
  }

  static ContentAny read(UpdateDecoder decoder) {
    int len = decoder.readLen();
    ArrayList<Object> cs = new ArrayList<>(Math.min(len, 256));
    for (int i = 0; i < len; i++) {
      cs.add(decoder.readAny());
    }
    return new ContentAny(cs);
  }

  @Override int length() { return arr.size(); }
  @Override boolean countable() { return true; }
  @Override void collect(List<Object> out) { out.addAll(arr); }
  @Override Object get(int i) { return arr.get(i); }
  @Override Content copy() { return new ContentAny(new ArrayList<>(arr)); }

  @Override
  Content splice(int offset) {
    ContentAny right = new ContentAny(new ArrayList<>(arr.subList(offset, arr.size())));
    arr = new ArrayList<>(arr.subList(0, offset));
    return right;
  }

  @Override
  boolean mergeWith(Content right) {
    arr.addAll(((ContentAny) right).arr);
    return true;
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    int len = arr.size();
    encoder.writeLen(len - offset);
    for (int i = offset; i < len; i++) {
      encoder.writeAny(arr.get(i));
    }
  }

  @Override int ref() { return ContentRefs.ANY; }
}
