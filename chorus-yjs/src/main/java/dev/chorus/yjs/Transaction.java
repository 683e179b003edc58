package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch of changes to one {@link Doc}. Observers, garbage collection, struct merging and the
 * {@code update} event run once when the outermost transaction ends.
 */
public final class Transaction {
  final Doc doc;
  final DeleteSet deleteSet = new DeleteSet();
  /** The state vector when the transaction began. */
  final Clocks beforeState;
  /** The state vector when its cleanup began (set by {@link #ended(Clocks)}); empty until then. */
  private Clocks afterState = Clocks.EMPTY;
  /** What {@link #advanced()} found, once the transaction ended. */
  private Clocks advanced;
  private boolean ended;
  /** Changed types with the changed keys ({@code null} stands for list content). */
  final Map<AbstractType, Set<String>> changed = new LinkedHashMap<>();
  final Map<AbstractType, List<YEvent>> changedParentTypes = new LinkedHashMap<>();
  final List<Item> mergeStructs = new ArrayList<>();
  final Object origin;
  boolean local;
  boolean needFormattingCleanup;

  Transaction(Doc doc, Object origin, boolean local) {
    this.doc = doc;
    this.beforeState = doc.store.clocks();
    this.origin = origin;
    this.local = local;
  }

  public Doc doc() {
    return doc;
  }

  /** What the caller passed to {@link Doc#transact(java.util.function.Consumer, Object)} or {@code applyUpdate}. */
  public Object origin() {
    return origin;
  }

  /** Whether the changes were made through this replica's API rather than received as an update. */
  public boolean local() {
    return local;
  }

  // the last changed list type: integrating a run of items into one text or array touches it each time
  private AbstractType lastListChanged;

  void addChangedType(AbstractType type, String parentSub) {
    if (parentSub == null && type == lastListChanged) {
      return;
    }
    Item item = type.item;
    if (item == null || (item.clock < beforeState.get(item.client) && !item.deleted())) {
      changed.computeIfAbsent(type, t -> new HashSet<>()).add(parentSub);
      if (parentSub == null) {
        lastListChanged = type;
      }
    }
  }

  void forgetChanged(AbstractType type) {
    changed.remove(type);
    if (type == lastListChanged) {
      lastListChanged = null;
    }
  }

  /**
   * Whether this transaction changed the document (added structs or deleted something), that is,
   * whether it produces an update event. Meaningful once the transaction ends, in an
   * {@link Doc#addAfterTransactionListener after-transaction listener} and later.
   */
  public boolean hasChanges() {
    if (!deleteSet.isEmpty()) {
      return true;
    }
    return advanced().size() > 0;
  }

  /**
   * The clients this transaction added structs for (from {@link #beforeState} to
   * {@link #afterState}), each with its clock before; once the cleanup has begun.
   */
  Clocks advanced() {
    if (!ended) {
      // asked before the end (hasChanges inside the transaction): nothing to remember yet
      return Clocks.advanced(beforeState, doc.store.clocks());
    }
    if (advanced == null) {
      advanced = Clocks.advanced(beforeState, afterState);
    }
    return advanced;
  }

  /** Records the state vector as the cleanup begins. */
  void ended(Clocks after) {
    afterState = after;
    ended = true;
  }

  /** The state vector when the cleanup began. */
  Clocks afterState() {
    return afterState;
  }

  /** The update this transaction produced: new structs and the deletions it made. */
  byte[] encodeUpdate(UpdateEncoder encoder) {
    deleteSet.sortAndMerge();
    Encoding.writeAdvancedStructs(encoder, doc.store, doc.store.advancedSince(beforeState));
    deleteSet.write(encoder);
    return encoder.toByteArray();
  }
}
