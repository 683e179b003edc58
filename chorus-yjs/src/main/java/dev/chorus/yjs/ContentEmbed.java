package dev.chorus.yjs;

import java.util.List;

/** An embedded object in a text (an image, a mention, ...): one position, any JSON value. */
final class ContentEmbed extends Content {
  final Object embed;

  ContentEmbed(Object embed) {
    this.embed = embed;
  }

  @Override int length() { return 1; }
  @Override boolean countable() { return true; }
  @Override void collect(List<Object> out) { out.add(embed); }
  @Override Object get(int i) { return embed; }
  @Override Content copy() { return new ContentEmbed(embed); }
  @Override Content splice(int offset) { throw new UnsupportedOperationException(); }
  @Override boolean mergeWith(Content right) { return false; }
  @Override void write(UpdateEncoder encoder, int offset) { encoder.writeJson(embed); }
  @Override int ref() { return ContentRefs.EMBED; }
}
