package dev.chorus.yjs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sub-document reference: its guid and options. The sub-document's own content lives in its own
 * updates; here it is represented by an empty {@link Doc} with that guid.
 */
final class ContentDoc extends Content {
  final Doc doc;
  final Map<String, Object> opts;

  ContentDoc(Doc doc, Map<String, Object> opts) {
    this.doc = doc;
    this.opts = opts;
  }

  static ContentDoc read(UpdateDecoder decoder) {
    String guid = decoder.readString();
    Object o = decoder.readAny();
    Map<String, Object> opts = new LinkedHashMap<>();
    if (o instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        opts.put((String) e.getKey(), e.getValue());
      }
    }
    Doc doc = new Doc(DocOptions.builder().guid(guid).gc(!Boolean.FALSE.equals(opts.get("gc"))).build());
    return new ContentDoc(doc, opts);
  }

  @Override int length() { return 1; }
  @Override boolean countable() { return true; }
  @Override void collect(List<Object> out) { out.add(doc); }
  @Override Object get(int i) { return doc; }

  @Override
  Content copy() {
    return new ContentDoc(new Doc(DocOptions.builder().guid(doc.guid()).gc(doc.gcEnabled()).build()), opts);
  }

  @Override Content splice(int offset) { throw new UnsupportedOperationException(); }
  @Override boolean mergeWith(Content right) { return false; }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeString(doc.guid());
    encoder.writeAny(opts);
  }

  @Override int ref() { return ContentRefs.DOC; }
}
