package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A shared type: a root of a {@link Doc} or nested inside another type. It has list content (a
 * linked list of items from {@code start}) and/or keyed content ({@code map}: the current item per
 * key, older values linked to its left).
 */
public abstract class AbstractType {
  /** The item holding this type, or {@code null} for a root. */
  Item item;
  /** For each key the item holding its current value (deleted when the key was removed). */
  final LinkedHashMap<String, Item> map = new LinkedHashMap<>();
  Item start;
  Doc doc;
  /** Number of visible list positions. */
  int length;
  /** Cached positions for index lookups in long lists; null when not used. */
  ArrayList<SearchMarker> searchMarker;
  boolean hasFormatting;
  /** The name in {@link Doc} for a root. */
  String rootName;
  final List<Consumer<YEvent>> observers = new CopyOnWriteArrayList<>();
  final List<Consumer<List<YEvent>>> deepObservers = new CopyOnWriteArrayList<>();

  AbstractType() {}

  void integrate(Doc y, Item item) {
    this.doc = y;
    this.item = item;
  }

  /** A new empty type of the same kind (what Yjs copies on redo). */
  abstract AbstractType copyEmpty();

  /** Writes the type ref (and the ref's extra data, e.g. an XML node name). */
  abstract void writeRef(UpdateEncoder encoder);

  /** The document, or null while the type is not inserted anywhere yet. */
  public Doc doc() {
    return doc;
  }

  /** The type containing this one, or null for a root (or a type not inserted yet). */
  public AbstractType parent() {
    return item == null ? null : item.parent;
  }

  String rootName() {
    if (rootName == null) {
      throw new IllegalStateException("not a root type");
    }
    return rootName;
  }

  /** The first undeleted item of the list content. */
  Item first() {
    Item n = start;
    while (n != null && n.deleted()) {
      n = n.right;
    }
    return n;
  }

  void callObserver(Transaction transaction, Set<String> parentSubs) {
    if (!transaction.local && searchMarker != null) {
      // remote changes move positions the markers do not know about
      searchMarker.clear();
    }
    callTypeObservers(transaction, new YEvent(this, transaction, parentSubs));
  }

  final void callTypeObservers(Transaction transaction, YEvent event) {
    AbstractType type = this;
    while (true) {
      transaction.changedParentTypes.computeIfAbsent(type, t -> new ArrayList<>()).add(event);
      if (type.item == null) {
        break;
      }
      type = type.item.parent;
    }
    for (Consumer<YEvent> l : observers) {
      l.accept(event);
    }
  }

  /** Calls {@code f} with the event of every transaction that changed this type. */
  public void observe(Consumer<YEvent> f) {
    observers.add(f);
  }

  public void unobserve(Consumer<YEvent> f) {
    observers.remove(f);
  }

  /** Calls {@code f} with the events of this type and every type nested in it, per transaction. */
  public void observeDeep(Consumer<List<YEvent>> f) {
    deepObservers.add(f);
  }

  public void unobserveDeep(Consumer<List<YEvent>> f) {
    deepObservers.remove(f);
  }

  /**
   * The content as JSON-compatible Java values (maps, lists, strings, doubles, booleans, null,
   * {@code byte[]}), as Yjs's {@code toJSON()}.
   */
  public abstract Object toJSON();

  void checkIntegrated() {
    if (doc == null) {
      throw new IllegalStateException("Add this type to a document before changing or reading it");
    }
  }
}
