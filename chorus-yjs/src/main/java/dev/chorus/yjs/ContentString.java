package dev.chorus.yjs;

import java.util.List;

/**
 * Text; one clock and one position per UTF-16 code unit, as in JavaScript.
 *
 * <p>Adjacent inserts by one client merge into one item, so a client typing at the end of its own
 * text grows one content by a few characters per update. JavaScript's string concatenation makes
 * that cheap; a Java {@code String} would be copied whole on every merge (quadratic in the run's
 * length), so merged text is kept in a {@link StringBuilder} until something needs it as a string.
 */
final class ContentString extends Content {
  /** Exactly one of the two is set. */
  private String str;
  private StringBuilder builder;

  ContentString(String str) {
    this.str = str;
  }

  /** The text as a string. */
  String str() {
    if (builder != null) {
      str = builder.toString();
      builder = null;
    }
    return str;
  }

  /** Appends the text to {@code out} without making a string of it first. */
  void appendTo(StringBuilder out) {
    if (builder != null) {
      out.append(builder);
    } else {
      out.append(str);
    }
  }

  private char charAt(int i) {
    return builder != null ? builder.charAt(i) : str.charAt(i);
  }

  @Override int length() { return builder != null ? builder.length() : str.length(); }
  @Override boolean countable() { return true; }

  @Override
  void collect(List<Object> out) {
    int n = length();
    for (int i = 0; i < n; i++) {
      out.add(String.valueOf(charAt(i)));
    }
  }

  @Override Object get(int i) { return String.valueOf(charAt(i)); }
  @Override Content copy() { return new ContentString(str()); }

  @Override
  Content splice(int offset) {
    String s = str();
    ContentString right = new ContentString(s.substring(offset));
    String left = s.substring(0, offset);
    // splitting a surrogate pair leaves two invalid halves; Yjs replaces both with U+FFFD
    if (offset > 0 && Character.isHighSurrogate(left.charAt(offset - 1))) {
      left = left.substring(0, offset - 1) + '\uFFFD';
      right.str = '\uFFFD' + right.str.substring(1);
    }
    str = left;
    return right;
  }

  @Override
  boolean mergeWith(Content right) {
    ContentString r = (ContentString) right;
    if (builder == null) {
      builder = new StringBuilder(Math.max(16, 2 * (str.length() + r.length())));
      builder.append(str);
      str = null;
    }
    r.appendTo(builder);
    return true;
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    if (builder != null) {
      encoder.writeString(builder.substring(offset));
    } else {
      encoder.writeString(offset == 0 ? str : str.substring(offset));
    }
  }

  @Override int ref() { return ContentRefs.STRING; }
}
