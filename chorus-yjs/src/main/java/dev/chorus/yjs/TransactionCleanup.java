package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What happens when a transaction ends: observers, garbage collection of deleted content,
 * merging of adjacent structs, and the update events. The merge rules decide how the struct store
 * (and so {@code encodeStateAsUpdate}) looks, so they follow Yjs exactly.
 */
final class TransactionCleanup {
  private TransactionCleanup() {}

  static void cleanup(Transaction transaction) {
    Doc doc = transaction.doc;
    StructStore store = doc.store;
    DeleteSet ds = transaction.deleteSet;
    List<Item> mergeStructs = transaction.mergeStructs;
    try {
      ds.sortAndMerge();
      transaction.ended(store.clocks());
      for (Map.Entry<AbstractType, Set<String>> e : new ArrayList<>(transaction.changed.entrySet())) {
        AbstractType type = e.getKey();
        if (type.item == null || !type.item.deleted()) {
          type.callObserver(transaction, e.getValue());
        }
      }
      for (Map.Entry<AbstractType, List<YEvent>> e : transaction.changedParentTypes.entrySet()) {
        AbstractType type = e.getKey();
        if (!type.deepObservers.isEmpty() && (type.item == null || !type.item.deleted())) {
          List<YEvent> events = new ArrayList<>();
          for (YEvent ev : e.getValue()) {
            if (ev.target().item == null || !ev.target().item.deleted()) {
              events.add(ev);
            }
          }
          for (Consumer<List<YEvent>> l : type.deepObservers) {
            l.accept(events);
          }
        }
      }
      for (Consumer<Transaction> l : doc.afterTransactionListeners()) {
        l.accept(transaction);
      }
      if (transaction.needFormattingCleanup) {
        TextFormatting.cleanupAfterTransaction(transaction);
      }
    } finally {
      if (doc.gcEnabled()) {
        tryGcDeleteSet(ds, store);
      }
      tryMergeDeleteSet(ds, store);
      Clocks advanced = transaction.advanced();
      for (int c = 0; c < advanced.size(); c++) {
        long client = advanced.client(c);
        ArrayList<AbstractStruct> structs = store.structs(client);
        int firstChangePos = Math.max(StructStore.findIndex(structs, advanced.clock(c)), 1);
        for (int i = structs.size() - 1; i >= firstChangePos; ) {
          i -= 1 + tryToMergeWithLefts(structs, i);
        }
      }
      for (int i = mergeStructs.size() - 1; i >= 0; i--) {
        Item m = mergeStructs.get(i);
        ArrayList<AbstractStruct> structs = store.structs(m.client);
        int replacedStructPos = StructStore.findIndex(structs, m.clock);
        if (replacedStructPos + 1 < structs.size()) {
          if (tryToMergeWithLefts(structs, replacedStructPos + 1) > 1) {
            continue;
          }
        }
        if (replacedStructPos > 0) {
          tryToMergeWithLefts(structs, replacedStructPos);
        }
      }
      if (!transaction.local
          && transaction.afterState().get(doc.clientId, -1) != transaction.beforeState.get(doc.clientId, -1)) {
        // someone else writes with our client id: switch to a fresh one, as Yjs does
        doc.clientId = DocOptions.randomClientId();
      }
      if (!doc.updateListeners().isEmpty() && transaction.hasChanges()) {
        byte[] update = transaction.encodeUpdate(new UpdateEncoderV1());
        for (UpdateListener l : doc.updateListeners()) {
          l.onUpdate(update, transaction.origin, transaction);
        }
      }
      if (!doc.updateV2Listeners().isEmpty() && transaction.hasChanges()) {
        byte[] update = transaction.encodeUpdate(UpdateFormat.V2.encoder());
        for (UpdateListener l : doc.updateV2Listeners()) {
          l.onUpdate(update, transaction.origin, transaction);
        }
      }
    }
  }

  /** Merges structs[pos] into its left neighbours as far as possible; returns how many were merged. */
  static int tryToMergeWithLefts(ArrayList<AbstractStruct> structs, int pos) {
    AbstractStruct right = structs.get(pos);
    AbstractStruct left = structs.get(pos - 1);
    int i = pos;
    while (i > 0) {
      if (left.deleted() == right.deleted() && left.getClass() == right.getClass() && left.mergeWith(right)) {
        if (right instanceof Item) {
          Item r = (Item) right;
          if (r.parentSub != null && r.parent.map.get(r.parentSub) == r) {
            r.parent.map.put(r.parentSub, (Item) left);
          }
        }
        i--;
        if (i > 0) {
          right = left;
          left = structs.get(i - 1);
        }
        continue;
      }
      break;
    }
    int merged = pos - i;
    if (merged > 0) {
      structs.subList(pos + 1 - merged, pos + 1).clear();
    }
    return merged;
  }

  private static void tryGcDeleteSet(DeleteSet ds, StructStore store) {
    for (Map.Entry<Long, List<DeleteSet.Range>> e : ds.clients.entrySet()) {
      ArrayList<AbstractStruct> structs = store.structs(e.getKey());
      List<DeleteSet.Range> deleteItems = e.getValue();
      // ascending (Yjs goes descending): gc only swaps contents in place, so the order does not matter
      int hint = -1;
      for (int di = 0; di < deleteItems.size(); di++) {
        DeleteSet.Range d = deleteItems.get(di);
        int end = d.clock + d.len;
        int si = StructStore.findIndex(structs, d.clock, hint);
        for (; si < structs.size(); si++) {
          AbstractStruct struct = structs.get(si);
          if (struct.clock >= end) {
            break;
          }
          if (struct instanceof Item && struct.deleted() && !((Item) struct).keep()) {
            ((Item) struct).gc(store, false);
          }
        }
        hint = si - 1;
      }
    }
  }

  private static void tryMergeDeleteSet(DeleteSet ds, StructStore store) {
    for (Map.Entry<Long, List<DeleteSet.Range>> e : ds.clients.entrySet()) {
      ArrayList<AbstractStruct> structs = store.structs(e.getKey());
      List<DeleteSet.Range> deleteItems = e.getValue();
      int hint = -1;
      for (int di = deleteItems.size() - 1; di >= 0; di--) {
        DeleteSet.Range d = deleteItems.get(di);
        int last = StructStore.findIndexBackward(structs, d.clock + d.len - 1, hint);
        int mostRightIndexToCheck = Math.min(structs.size() - 1, 1 + last);
        int si = mostRightIndexToCheck;
        while (si > 0 && structs.get(si).clock >= d.clock) {
          si -= 1 + tryToMergeWithLefts(structs, si);
        }
        hint = si;
      }
    }
  }
}
