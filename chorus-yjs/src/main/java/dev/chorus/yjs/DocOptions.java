package dev.chorus.yjs;

import java.security.SecureRandom;
import java.util.UUID;

/** Immutable options of a {@link Doc}; {@link #builder()} gives the Yjs defaults. */
public final class DocOptions {
  private static final SecureRandom RANDOM = new SecureRandom();

  final String guid;
  final boolean gc;
  final long clientId;

  private DocOptions(Builder b) {
    this.guid = b.guid != null ? b.guid : UUID.randomUUID().toString();
    this.gc = b.gc;
    this.clientId = b.clientId >= 0 ? b.clientId : randomClientId();
  }

  /** A random unsigned 32-bit client id, as Yjs generates them. */
  static long randomClientId() {
    return RANDOM.nextInt() & 0xFFFFFFFFL;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String guid;
    private boolean gc = true;
    private long clientId = -1;

    /** The document's guid (random UUID by default). */
    public Builder guid(String guid) {
      this.guid = guid;
      return this;
    }

    /** Whether deleted content is garbage collected at the end of transactions (default true). */
    public Builder gc(boolean gc) {
      this.gc = gc;
      return this;
    }

    /** Fixes the client id (random 32-bit by default); must be in {@code [0, 2^53)}. */
    public Builder clientId(long clientId) {
      if (clientId < 0 || clientId > (1L << 53) - 1) {
        throw new IllegalArgumentException("client id out of range: " + clientId);
      }
      this.clientId = clientId;
      return this;
    }

    public DocOptions build() {
      return new DocOptions(this);
    }
  }
}
