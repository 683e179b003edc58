package dev.chorus.yjs;

/**
 * The identity of one inserted element: the client that created it and that client's clock when it did.
 * Clients are unsigned 53-bit numbers (random 32-bit in practice); clocks count elements per client.
 */
public final class ID {
  public final long client;
  public final int clock;

  public ID(long client, int clock) {
    this.client = client;
    this.clock = clock;
  }

  static boolean equal(ID a, ID b) {
    return a == b || (a != null && b != null && a.client == b.client && a.clock == b.clock);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ID && ((ID) o).client == client && ((ID) o).clock == clock;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(client) * 31 + clock;
  }

  @Override
  public String toString() {
    return client + ":" + clock;
  }
}
