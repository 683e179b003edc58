package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.Undefined;
import java.util.ArrayList;
import java.util.List;

/** Legacy content: values stored as JSON strings (older Yjs versions); read and written, never created. */
final class ContentJson extends Content {
  ArrayList<Object> arr;

  ContentJson(ArrayList<Object> arr) {
    this.arr = arr;
  }

  static ContentJson read(UpdateDecoder decoder) {
    int len = decoder.readLen();
    ArrayList<Object> cs = new ArrayList<>(Math.min(len, 256));
    for (int i = 0; i < len; i++) {
      String c = decoder.readString();
      cs.add("undefined".equals(c) ? Undefined.INSTANCE : JsJson.parse(c));
    }
    return new ContentJson(cs);
  }

  @Override int length() { return arr.size(); }
  @Override boolean countable() { return true; }
  @Override void collect(List<Object> out) { out.addAll(arr); }
  @Override Object get(int i) { return arr.get(i); }
  @Override Content copy() { return new ContentJson(new ArrayList<>(arr)); }

  @Override
  Content splice(int offset) {
    ContentJson right = new ContentJson(new ArrayList<>(arr.subList(offset, arr.size())));
    arr = new ArrayList<>(arr.subList(0, offset));
    return right;
  }

  @Override
  boolean mergeWith(Content right) {
    arr.addAll(((ContentJson) right).arr);
    return true;
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    int len = arr.size();
    encoder.writeLen(len - offset);
    for (int i = offset; i < len; i++) {
      Object c = arr.get(i);
      String s = c == Undefined.INSTANCE ? null : JsJson.stringify(c);
      encoder.writeString(s == null ? "undefined" : s);
    }
  }

  @Override int ref() { return ContentRefs.JSON; }
}
