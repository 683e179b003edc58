package dev.chorus.yjs;

/**
 * A run of consecutive clocks of one client in the struct store: an {@link Item}, a {@link GC}
 * (garbage-collected content) or a {@link Skip} (a gap, only inside encoded updates).
 */
abstract class AbstractStruct {
  final long client;
  int clock;
  int length;

  AbstractStruct(long client, int clock, int length) {
    this.client = client;
    this.clock = clock;
    this.length = length;
  }

  ID id() {
    return new ID(client, clock);
  }

  abstract boolean deleted();

  /** Appends {@code right} (the next clocks of the same client) to this struct if the kinds allow it. */
  abstract boolean mergeWith(AbstractStruct right);

  /** Writes this struct, leaving out its first {@code offset} clocks. */
  abstract void write(UpdateEncoder encoder, int offset);

  abstract void integrate(Transaction transaction, int offset);

  /** The client whose missing clocks block integration, or -1 when everything needed is present. */
  abstract long getMissing(Transaction transaction, StructStore store);
}
