package dev.chorus.yjs;

import java.util.List;

/**
 * What an {@link Item} holds. One subclass per content kind; the kind's number ({@link #ref()}) is
 * written in the low five bits of the item's info byte and picks the reader in {@link ContentRefs}.
 */
abstract class Content {
  /** Number of clocks (and, when countable, of list positions) this content occupies. */
  abstract int length();

  /** Whether the content takes positions in a list or text (format marks and deleted content do not). */
  abstract boolean countable();

  /** Adds the user-visible values to {@code out}, one per clock. */
  abstract void collect(List<Object> out);

  /** The user-visible value at clock offset {@code i}. */
  abstract Object get(int i);

  abstract Content copy();

  /** Keeps the first {@code offset} clocks here and returns the rest. */
  abstract Content splice(int offset);

  /** Appends {@code right} (same kind) when the kind allows merging. */
  abstract boolean mergeWith(Content right);

  void integrate(Transaction transaction, Item item) {}

  void delete(Transaction transaction) {}

  void gc(StructStore store) {}

  abstract void write(UpdateEncoder encoder, int offset);

  abstract int ref();
}
