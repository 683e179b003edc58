package dev.chorus.yjs.protocol;

import java.util.List;

/** Clients whose awareness state was added, updated or removed by one operation. */
public final class AwarenessChange {
  private final List<Long> added;
  private final List<Long> updated;
  private final List<Long> removed;

  AwarenessChange(List<Long> added, List<Long> updated, List<Long> removed) {
    this.added = List.copyOf(added);
    this.updated = List.copyOf(updated);
    this.removed = List.copyOf(removed);
  }

  public List<Long> added() {
    return added;
  }

  public List<Long> updated() {
    return updated;
  }

  public List<Long> removed() {
    return removed;
  }

  /** Every client in the change (what an {@code update} event re-broadcasts). */
  public List<Long> all() {
    java.util.ArrayList<Long> all = new java.util.ArrayList<>(added);
    all.addAll(updated);
    all.addAll(removed);
    return all;
  }

  @Override
  public String toString() {
    return "AwarenessChange{added=" + added + ", updated=" + updated + ", removed=" + removed + '}';
  }
}
