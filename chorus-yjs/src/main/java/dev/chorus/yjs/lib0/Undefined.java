package dev.chorus.yjs.lib0;

/** JavaScript's {@code undefined}, which lib0 encodes distinctly from {@code null} (tag 127). */
public final class Undefined {
  public static final Undefined INSTANCE = new Undefined();

  private Undefined() {}

  @Override
  public String toString() {
    return "undefined";
  }
}
