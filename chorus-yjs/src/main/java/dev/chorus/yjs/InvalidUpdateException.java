package dev.chorus.yjs;

/**
 * An update (or sync message) that cannot be decoded or integrated: truncated or corrupted bytes,
 * absurd lengths, unknown content kinds, references that do not make sense. The document the update
 * was applied to is left unchanged.
 */
public class InvalidUpdateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidUpdateException(String message) {
    super(message);
  }

  public InvalidUpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
