package dev.chorus.yjs.lib0;

/**
 * Thrown when bytes are not valid lib0 encoding: truncated input, an integer beyond 2^53 - 1,
 * a length larger than the remaining input, invalid UTF-8, an unknown {@code any} tag or nesting
 * deeper than {@link Lib0Reader#MAX_DEPTH}.
 */
public class Lib0FormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public Lib0FormatException(String message) {
    super(message);
  }
}
