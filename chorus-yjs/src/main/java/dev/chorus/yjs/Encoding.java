package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0FormatException;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading and writing structs, state vectors and whole-document updates. */
final class Encoding {
  private Encoding() {}

  /** The structs of one client inside a decoded update, with a read cursor. */
  static final class ClientRefs {
    int i;
    List<AbstractStruct> refs;

    ClientRefs(List<AbstractStruct> refs) {
      this.refs = refs;
    }
  }

  // ---------------------------------------------------------------- writing

  static void writeStructs(UpdateEncoder encoder, List<AbstractStruct> structs, long client, int clock) {
    writeStructs(encoder, structs, client, clock, null);
  }

  /**
   * Writes the structs of {@code client} from {@code clock} on. When {@code deletes} is given and
   * every struct is written, also collects the client's deleted ranges into it (the same ranges
   * {@link DeleteSet#fromStore} finds), saving a second pass over the store; returns whether it did.
   */
  static boolean writeStructs(UpdateEncoder encoder, List<AbstractStruct> structs, long client, int clock,
                              DeleteSet deletes) {
    clock = Math.max(clock, structs.get(0).clock);
    int startNewStructs = StructStore.findIndex((ArrayList<AbstractStruct>) structs, clock);
    int n = structs.size();
    encoder.rest().writeVarUint(n - startNewStructs);
    encoder.writeClient(client);
    encoder.rest().writeVarUint(clock);
    AbstractStruct first = structs.get(startNewStructs);
    first.write(encoder, clock - first.clock);
    DeleteSet.Runs runs = deletes != null && startNewStructs == 0 ? new DeleteSet.Runs() : null;
    if (runs != null) {
      runs.visit(first);
    }
    for (int from = startNewStructs + 1; from < n; from += CHUNK) {
      writeChunk(encoder, structs, from, Math.min(n, from + CHUNK), runs);
    }
    if (runs == null) {
      return false;
    }
    runs.finish(deletes, client);
    return true;
  }

  /**
   * Long loops inside a single call are only compiled on stack, late; in chunks the JIT compiles the
   * loop as an ordinary method after a few documents (encoding got 3-5x faster much sooner).
   */
  static final int CHUNK = 256;

  private static void writeChunk(UpdateEncoder encoder, List<AbstractStruct> structs, int from, int to,
                                 DeleteSet.Runs runs) {
    for (int i = from; i < to; i++) {
      AbstractStruct s = structs.get(i);
      s.write(encoder, 0);
      if (runs != null) {
        runs.visit(s);
      }
    }
  }

  /** Writes every struct the receiver (at state vector {@code sv}) lacks; clients in descending order. */
  static void writeClientsStructs(UpdateEncoder encoder, StructStore store, Map<Long, Integer> sv) {
    writeClientsStructs(encoder, store, sv, null);
  }

  /**
   * As {@link #writeClientsStructs(UpdateEncoder, StructStore, Map)}; with {@code storeDeletes},
   * also fills it with the delete set of the whole store ({@link DeleteSet#fromStore}).
   */
  static void writeClientsStructs(UpdateEncoder encoder, StructStore store, Map<Long, Integer> sv,
                                  DeleteSet storeDeletes) {
    Map<Long, Integer> sm = new HashMap<>();
    for (Map.Entry<Long, Integer> e : sv.entrySet()) {
      if (store.getState(e.getKey()) > e.getValue()) {
        sm.put(e.getKey(), e.getValue());
      }
    }
    for (Long client : store.clients.keySet()) {
      if (!sv.containsKey(client)) {
        sm.put(client, 0);
      }
    }
    encoder.rest().writeVarUint(sm.size());
    List<Long> clients = new ArrayList<>(sm.keySet());
    clients.sort((a, b) -> Long.compare(b, a));
    Set<Long> covered = storeDeletes == null ? null : new HashSet<>();
    for (Long client : clients) {
      if (writeStructs(encoder, store.structs(client), client, sm.get(client), storeDeletes)) {
        covered.add(client);
      }
    }
    if (storeDeletes != null) {
      for (Map.Entry<Long, ArrayList<AbstractStruct>> e : store.clients.entrySet()) {
        if (!covered.contains(e.getKey())) {
          DeleteSet.addFromStructs(storeDeletes, e.getKey(), e.getValue());
        }
      }
    }
  }

  /**
   * Writes the structs a transaction added: for each client of {@code advanced} (ascending ids),
   * its structs from the clock given there; clients in descending order, as Yjs writes them.
   */
  static void writeAdvancedStructs(UpdateEncoder encoder, StructStore store, Clocks advanced) {
    encoder.rest().writeVarUint(advanced.size());
    for (int i = advanced.size() - 1; i >= 0; i--) {
      long client = advanced.client(i);
      writeStructs(encoder, store.structs(client), client, advanced.clock(i), null);
    }
  }

  static void writeStateVector(DSEncoder encoder, Map<Long, Integer> sv) {
    encoder.rest().writeVarUint(sv.size());
    List<Long> clients = new ArrayList<>(sv.keySet());
    clients.sort((a, b) -> Long.compare(b, a));
    for (Long client : clients) {
      encoder.rest().writeVarUint(client);
      encoder.rest().writeVarUint(sv.get(client));
    }
  }

  static byte[] encodeStateVector(Map<Long, Integer> sv) {
    UpdateEncoderV1 encoder = new UpdateEncoderV1();
    writeStateVector(encoder, sv);
    return encoder.toByteArray();
  }

  static Map<Long, Integer> decodeStateVector(byte[] bytes) {
    try {
      Lib0Reader r = new Lib0Reader(bytes);
      int n = r.readLength();
      Map<Long, Integer> sv = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        long client = r.readVarUint();
        sv.put(client, r.readVarUintAsInt());
      }
      return sv;
    } catch (Lib0FormatException e) {
      throw new InvalidUpdateException("malformed state vector: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- reading

  private static int advance(int clock, int len) {
    if (len <= 0) {
      throw new InvalidUpdateException("struct of length " + len);
    }
    if ((long) clock + len > Integer.MAX_VALUE) {
      throw new InvalidUpdateException("clock beyond the supported range");
    }
    return clock + len;
  }

  /**
   * Decodes one struct. Items keep their parent as {@code parentKey} (a root name) or
   * {@code parentId}; nothing is resolved against a document here.
   */
  static AbstractStruct readStruct(UpdateDecoder decoder, long client, int clock) {
    int info = decoder.readInfo();
    switch (info & 0x1F) {
      case GC.REF: {
        int len = decoder.readLen();
        advance(clock, len);
        return new GC(client, clock, len);
      }
      case Skip.REF: {
        int len = decoder.rest().readVarUintAsInt();
        advance(clock, len);
        return new Skip(client, clock, len);
      }
      default: {
        boolean cantCopyParentInfo = (info & 0xC0) == 0;
        ID origin = (info & 0x80) != 0 ? decoder.readLeftId() : null;
        ID rightOrigin = (info & 0x40) != 0 ? decoder.readRightId() : null;
        String parentKey = null;
        ID parentId = null;
        if (cantCopyParentInfo) {
          if (decoder.readParentInfo()) {
            parentKey = decoder.readString();
          } else {
            parentId = decoder.readLeftId();
          }
        }
        String parentSub = cantCopyParentInfo && (info & 0x20) != 0 ? decoder.readString() : null;
        Content content = ContentRefs.read(decoder, info);
        Item item = new Item(client, clock, null, origin, null, rightOrigin, null, parentSub, content);
        item.parentKey = parentKey;
        item.parentId = parentId;
        advance(clock, item.length);
        return item;
      }
    }
  }

  /**
   * Decodes the structs of an update per client. Checks what one struct can show alone (references
   * to later clocks of its own client) while decoding, and collects the items that carry parent
   * information into {@code withParent}, so the checks and lookups that need them do not walk every struct again.
   */
  static Map<Long, ClientRefs> readClientsStructRefs(UpdateDecoder decoder, List<Item> withParent) {
    Map<Long, ClientRefs> clientRefs = new LinkedHashMap<>();
    int numOfStateUpdates = decoder.rest().readVarUintAsInt();
    for (int i = 0; i < numOfStateUpdates; i++) {
      int numberOfStructs = decoder.rest().readVarUintAsInt();
      long client = decoder.readClient();
      int clock = decoder.rest().readVarUintAsInt();
      // grows with what is actually read: the announced count is not trusted for allocation
      List<AbstractStruct> refs = new ArrayList<>(Math.min(numberOfStructs, 1024));
      clientRefs.put(client, new ClientRefs(refs));
      for (int k = 0; k < numberOfStructs; k++) {
        AbstractStruct s = readStruct(decoder, client, clock);
        if (s instanceof Item) {
          Item item = (Item) s;
          checkOwnClock(item, item.origin, "origin");
          checkOwnClock(item, item.rightOrigin, "right origin");
          if (item.parentId != null || item.parentKey != null) {
            checkOwnClock(item, item.parentId, "parent");
            withParent.add(item);
          } else if (item.parentSub != null) {
            throw new InvalidUpdateException("map key without parent at " + item.id());
          }
        }
        refs.add(s);
        clock += s.length;
      }
    }
    return clientRefs;
  }

  /**
   * Rejects parent references no correct peer produces (a parent that is not a type), before the
   * document is touched; {@code withParent} as collected by {@link #readClientsStructRefs}.
   */
  static void validateParents(Map<Long, ClientRefs> clientRefs, List<Item> withParent, StructStore store) {
    for (Item item : withParent) {
      if (item.parentId != null) {
        Content parentContent = contentAt(item.parentId, clientRefs, store);
        if (parentContent != null && !(parentContent instanceof ContentType) && !(parentContent instanceof ContentDeleted)) {
          throw new InvalidUpdateException("parent " + item.parentId + " of " + item.id() + " is not a type");
        }
      }
    }
  }

  private static void checkOwnClock(Item item, ID ref, String what) {
    if (ref != null && ref.client == item.client && ref.clock >= item.clock) {
      throw new InvalidUpdateException(what + " of " + item.id() + " points at a later clock of the same client");
    }
  }

  /** Content at {@code id} in the store or in the update, or null when unknown or garbage collected. */
  private static Content contentAt(ID id, Map<Long, ClientRefs> clientRefs, StructStore store) {
    if (id.clock < store.getState(id.client)) {
      AbstractStruct s = store.find(id);
      return s instanceof Item ? ((Item) s).content : null;
    }
    ClientRefs refs = clientRefs.get(id.client);
    if (refs != null) {
      for (AbstractStruct s : refs.refs) {
        if (s.clock <= id.clock && id.clock < s.clock + s.length) {
          return s instanceof Item ? ((Item) s).content : null;
        }
      }
    }
    return null;
  }

  /**
   * Integrates what can be integrated, depth-first over missing dependencies. Returns the structs
   * that must wait (as an encoded update) with the lowest missing clock per client, or null.
   */
  static StructStore.PendingStructs integrateStructs(Transaction transaction, StructStore store,
                                                      Map<Long, ClientRefs> clientsStructRefs) {
    ArrayList<AbstractStruct> stack = new ArrayList<>();
    List<Long> ids = new ArrayList<>(clientsStructRefs.keySet());
    ids.sort(Long::compare);
    if (ids.isEmpty()) {
      return null;
    }
    ClientRefs curStructsTarget = nextTarget(ids, clientsStructRefs);
    if (curStructsTarget == null) {
      return null;
    }
    StructStore restStructs = new StructStore();
    Map<Long, Integer> missingSV = new HashMap<>();
    AbstractStruct stackHead = curStructsTarget.refs.get(curStructsTarget.i++);

    while (true) {
      if (!(stackHead instanceof Skip)) {
        final long headClient = stackHead.client;
        // integrating a struct always appends it to the store, so the store's state is current
        int localClock = store.getState(headClient);
        int offset = localClock - stackHead.clock;
        if (offset < 0) {
          // an earlier update of the same client is missing
          stack.add(stackHead);
          updateMissingSv(missingSV, headClient, stackHead.clock - 1);
          addStackToRestSS(stack, clientsStructRefs, restStructs, ids);
        } else {
          long missing = stackHead.getMissing(transaction, store);
          if (missing != -1) {
            stack.add(stackHead);
            ClientRefs structRefs = clientsStructRefs.get(missing);
            if (structRefs == null || structRefs.refs.size() == structRefs.i) {
              // depends on an update that has not arrived yet
              updateMissingSv(missingSV, missing, store.getState(missing));
              addStackToRestSS(stack, clientsStructRefs, restStructs, ids);
            } else {
              stackHead = structRefs.refs.get(structRefs.i++);
              continue;
            }
          } else if (offset == 0 || offset < stackHead.length) {
            stackHead.integrate(transaction, offset);
          }
        }
      }
      if (!stack.isEmpty()) {
        stackHead = stack.remove(stack.size() - 1);
      } else if (curStructsTarget != null && curStructsTarget.i < curStructsTarget.refs.size()) {
        stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
      } else {
        curStructsTarget = nextTarget(ids, clientsStructRefs);
        if (curStructsTarget == null) {
          break;
        }
        stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
      }
    }
    if (!restStructs.clients.isEmpty()) {
      UpdateEncoderV1 encoder = new UpdateEncoderV1();
      writeClientsStructs(encoder, restStructs, new HashMap<>());
      encoder.rest().writeVarUint(0); // no deletions
      return new StructStore.PendingStructs(missingSV, encoder.toByteArray());
    }
    return null;
  }

  private static ClientRefs nextTarget(List<Long> ids, Map<Long, ClientRefs> clientsStructRefs) {
    if (ids.isEmpty()) {
      return null;
    }
    ClientRefs next = clientsStructRefs.get(ids.get(ids.size() - 1));
    while (next.refs.size() == next.i) {
      ids.remove(ids.size() - 1);
      if (ids.isEmpty()) {
        return null;
      }
      next = clientsStructRefs.get(ids.get(ids.size() - 1));
    }
    return next;
  }

  private static void updateMissingSv(Map<Long, Integer> missingSV, long client, int clock) {
    Integer m = missingSV.get(client);
    if (m == null || m > clock) {
      missingSV.put(client, clock);
    }
  }

  private static void addStackToRestSS(List<AbstractStruct> stack, Map<Long, ClientRefs> clientsStructRefs,
                                       StructStore restStructs, List<Long> ids) {
    for (AbstractStruct item : stack) {
      long client = item.client;
      ClientRefs inapplicable = clientsStructRefs.get(client);
      if (inapplicable != null) {
        // the current item was taken from the refs but not applied: put it back
        inapplicable.i--;
        restStructs.putClient(client, new ArrayList<>(inapplicable.refs.subList(inapplicable.i, inapplicable.refs.size())));
        clientsStructRefs.remove(client);
        inapplicable.i = 0;
        inapplicable.refs = new ArrayList<>();
      } else {
        ArrayList<AbstractStruct> one = new ArrayList<>();
        one.add(item);
        restStructs.putClient(client, one);
      }
      ids.remove(Long.valueOf(client));
    }
    stack.clear();
  }

  /**
   * Applies the deletions of {@code ds} to known clocks; returns the rest (clocks not received yet)
   * as an encoded update without structs, or null.
   */
  static byte[] applyDeleteSet(DeleteSet ds, Transaction transaction, StructStore store) {
    DeleteSet unapplied = new DeleteSet();
    for (Map.Entry<Long, List<DeleteSet.Range>> e : ds.clients.entrySet()) {
      long client = e.getKey();
      ArrayList<AbstractStruct> structs = store.structs(client);
      int state = store.getState(client);
      int hint = -1;
      for (DeleteSet.Range r : e.getValue()) {
        int clock = r.clock;
        int clockEnd = clock + r.len;
        if (r.len == 0) {
          continue;
        }
        if (clock < state) {
          if (state < clockEnd) {
            unapplied.add(client, state, clockEnd - state);
          }
          int index = StructStore.findIndex(structs, clock, hint);
          AbstractStruct struct = structs.get(index);
          if (!struct.deleted() && struct.clock < clock) {
            structs.add(index + 1, Item.split(transaction, (Item) struct, clock - struct.clock));
            index++;
          }
          while (index < structs.size()) {
            struct = structs.get(index++);
            if (struct.clock < clockEnd) {
              if (!struct.deleted()) {
                if (clockEnd < struct.clock + struct.length) {
                  structs.add(index, Item.split(transaction, (Item) struct, clockEnd - struct.clock));
                }
                ((Item) struct).delete(transaction);
              }
            } else {
              break;
            }
          }
          hint = index - 1;
        } else {
          unapplied.add(client, clock, clockEnd - clock);
        }
      }
    }
    if (!unapplied.isEmpty()) {
      UpdateEncoderV1 encoder = new UpdateEncoderV1();
      encoder.rest().writeVarUint(0); // no structs
      unapplied.write(encoder);
      return encoder.toByteArray();
    }
    return null;
  }

  static Lib0Writer newWriter() {
    return new Lib0Writer();
  }
}
