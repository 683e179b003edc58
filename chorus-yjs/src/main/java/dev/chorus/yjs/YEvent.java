package dev.chorus.yjs;

import java.util.Collections;
import java.util.Set;

/** A change to one shared type within one transaction. */
public class YEvent {
  private final AbstractType target;
  private final Transaction transaction;
  private final Set<String> keysChanged;
  final boolean childListChanged;

  YEvent(AbstractType target, Transaction transaction, Set<String> subs) {
    this.target = target;
    this.transaction = transaction;
    java.util.HashSet<String> keys = new java.util.HashSet<>(subs);
    this.childListChanged = keys.remove(null);
    this.keysChanged = Collections.unmodifiableSet(keys);
  }

  /** The type that changed. */
  public AbstractType target() {
    return target;
  }

  public Transaction transaction() {
    return transaction;
  }

  /** Map keys (or attributes) that changed. */
  public Set<String> keysChanged() {
    return keysChanged;
  }

  /** Whether list content (array elements, text, XML children) changed. */
  public boolean childListChanged() {
    return childListChanged;
  }
}
