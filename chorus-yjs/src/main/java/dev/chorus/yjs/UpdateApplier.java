package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0Reader;
import java.util.List;
import java.util.Map;

/** Integrates one decoded update inside a remote transaction, keeping what cannot be applied yet. */
final class UpdateApplier {
  private UpdateApplier() {}

  static void apply(Transaction transaction, Map<Long, Encoding.ClientRefs> refs, DeleteSet ds) {
    transaction.local = false;
    Doc doc = transaction.doc;
    StructStore store = doc.store;
    boolean retry = false;
    StructStore.PendingStructs restStructs = Encoding.integrateStructs(transaction, store, refs);
    StructStore.PendingStructs pending = store.pendingStructs;
    if (pending != null) {
      // something that was missing may have arrived: then the pending structs are tried again
      for (Map.Entry<Long, Integer> e : pending.missing.entrySet()) {
        if (e.getValue() < store.getState(e.getKey())) {
          retry = true;
          break;
        }
      }
      if (restStructs != null) {
        for (Map.Entry<Long, Integer> e : restStructs.missing.entrySet()) {
          Integer m = pending.missing.get(e.getKey());
          if (m == null || m > e.getValue()) {
            pending.missing.put(e.getKey(), e.getValue());
          }
        }
        pending.update = Updates.mergeUpdates(List.of(pending.update, restStructs.update));
      }
    } else {
      store.pendingStructs = restStructs;
    }
    byte[] dsRest = Encoding.applyDeleteSet(ds, transaction, store);
    if (store.pendingDs != null) {
      UpdateDecoderV1 pendingDecoder = new UpdateDecoderV1(new Lib0Reader(store.pendingDs));
      pendingDecoder.rest().readVarUint(); // no structs in a pending delete update
      byte[] dsRest2 = Encoding.applyDeleteSet(DeleteSet.read(pendingDecoder), transaction, store);
      if (dsRest != null && dsRest2 != null) {
        store.pendingDs = Updates.mergeUpdates(List.of(dsRest, dsRest2));
      } else {
        store.pendingDs = dsRest != null ? dsRest : dsRest2;
      }
    } else {
      store.pendingDs = dsRest;
    }
    if (retry) {
      byte[] update = store.pendingStructs.update;
      store.pendingStructs = null;
      doc.applyUpdate(update, transaction.origin, UpdateFormat.V1);
    }
  }
}
