package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0FormatException;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Yjs document: named root types, the struct store holding every insertion, and the updates that
 * wait for missing dependencies. Byte-compatible with the npm {@code yjs} package: updates produced
 * here apply in Yjs and vice versa, and {@link #encodeStateAsUpdate()} writes the same bytes as Yjs for
 * the same document state.
 *
 * <p>Not thread-safe: confine a document to one thread or guard it with a lock.
 */
public final class Doc {
  final StructStore store = new StructStore();
  final LinkedHashMap<String, AbstractType> share = new LinkedHashMap<>();
  private final String guid;
  private final boolean gc;
  long clientId;
  Transaction transaction;
  private final List<Transaction> transactionCleanups = new ArrayList<>();
  private final List<UpdateListener> updateListeners = new CopyOnWriteArrayList<>();
  private final List<UpdateListener> updateV2Listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Transaction>> afterTransactionListeners = new CopyOnWriteArrayList<>();

  public Doc() {
    this(DocOptions.builder().build());
  }

  public Doc(DocOptions options) {
    this.guid = options.guid;
    this.gc = options.gc;
    this.clientId = options.clientId;
  }

  public String guid() {
    return guid;
  }

  /** The client id this replica writes its insertions with. */
  public long clientId() {
    return clientId;
  }

  public boolean gcEnabled() {
    return gc;
  }

  // ------------------------------------------------------------ root types

  /** The root type {@code name}, created as a not-yet-typed root if it does not exist. */
  public AbstractType get(String name) {
    return share.computeIfAbsent(name, n -> {
      AbstractType t = new UnknownType();
      t.rootName = n;
      t.integrate(this, null);
      return t;
    });
  }

  <T extends AbstractType> T get(String name, Class<T> kind, java.util.function.Supplier<T> create) {
    AbstractType type = share.get(name);
    if (type == null) {
      T t = create.get();
      t.rootName = name;
      t.integrate(this, null);
      share.put(name, t);
      return t;
    }
    if (type.getClass() == kind) {
      return kind.cast(type);
    }
    if (type instanceof UnknownType) {
      // the root received content before anyone said what it is: adopt that content
      T t = create.get();
      t.rootName = name;
      t.map.putAll(type.map);
      for (Item n : type.map.values()) {
        for (; n != null; n = n.left) {
          n.parent = t;
        }
      }
      t.start = type.start;
      for (Item n = t.start; n != null; n = n.right) {
        n.parent = t;
      }
      t.length = type.length;
      share.put(name, t);
      t.integrate(this, null);
      return t;
    }
    throw new IllegalStateException("Type with the name " + name + " has already been defined with a different constructor");
  }

  public YMap getMap(String name) {
    return get(name, YMap.class, YMap::new);
  }

  public YArray getArray(String name) {
    return get(name, YArray.class, YArray::new);
  }

  public YText getText(String name) {
    return get(name, YText.class, YText::new);
  }

  public YXmlFragment getXmlFragment(String name) {
    return get(name, YXmlFragment.class, YXmlFragment::new);
  }

  /** Names of the root types this replica knows, in creation order. */
  public List<String> rootNames() {
    return Collections.unmodifiableList(new ArrayList<>(share.keySet()));
  }

  /**
   * The JSON of every root ({@code name -> toJSON()}); a root nobody declared is shown as the type
   * its content implies (see {@link AbstractType#toJSON()}).
   */
  public Map<String, Object> toJSON() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, AbstractType> e : share.entrySet()) {
      out.put(e.getKey(), e.getValue().toJSON());
    }
    return out;
  }

  // ------------------------------------------------------------ transactions

  /** Runs {@code f} in a transaction (or in the current one when nested) with origin {@code null}. */
  public void transact(Consumer<Transaction> f) {
    transact(f, null);
  }

  public void transact(Consumer<Transaction> f, Object origin) {
    transact(t -> {
      f.accept(t);
      return null;
    }, origin, true);
  }

  <T> T transact(Function<Transaction, T> f, Object origin, boolean local) {
    boolean initialCall = false;
    if (transaction == null) {
      initialCall = true;
      transaction = new Transaction(this, origin, local);
      transactionCleanups.add(transaction);
    }
    try {
      return f.apply(transaction);
    } finally {
      if (initialCall) {
        boolean finishCleanup = transaction == transactionCleanups.get(0);
        transaction = null;
        if (finishCleanup) {
          try {
            // cleanups may open follow-up transactions (formatting cleanup); they are appended here
            for (int i = 0; i < transactionCleanups.size(); i++) {
              TransactionCleanup.cleanup(transactionCleanups.get(i));
            }
          } finally {
            transactionCleanups.clear();
          }
        }
      }
    }
  }

  // ------------------------------------------------------------ listeners

  /** Receives a v1 update after every transaction that changed something. */
  public void addUpdateListener(UpdateListener listener) {
    updateListeners.add(listener);
  }

  public void removeUpdateListener(UpdateListener listener) {
    updateListeners.remove(listener);
  }

  /** Receives a v2 update after every transaction that changed something. */
  public void addUpdateV2Listener(UpdateListener listener) {
    updateV2Listeners.add(listener);
  }

  public void removeUpdateV2Listener(UpdateListener listener) {
    updateV2Listeners.remove(listener);
  }

  /** Called at the end of every transaction, after the type observers. */
  public void addAfterTransactionListener(Consumer<Transaction> listener) {
    afterTransactionListeners.add(listener);
  }

  List<UpdateListener> updateListeners() {
    return updateListeners;
  }

  List<UpdateListener> updateV2Listeners() {
    return updateV2Listeners;
  }

  List<Consumer<Transaction>> afterTransactionListeners() {
    return afterTransactionListeners;
  }

  // ------------------------------------------------------------ updates

  /** Applies a v1 update (from Yjs or from another {@code Doc}); see {@link #applyUpdate(byte[], Object)}. */
  public void applyUpdate(byte[] update) {
    applyUpdate(update, null);
  }

  /**
   * Applies a v1 update. Structs whose dependencies are missing and deletions of clocks not received
   * yet are kept and applied when the missing updates arrive; duplicates are ignored.
   *
   * @throws InvalidUpdateException when the bytes are not a valid update; the document is unchanged
   */
  public void applyUpdate(byte[] update, Object origin) {
    applyUpdate(update, origin, UpdateFormat.V1);
  }

  /** Applies a v2 update; otherwise as {@link #applyUpdate(byte[], Object)}. */
  public void applyUpdateV2(byte[] update, Object origin) {
    applyUpdate(update, origin, UpdateFormat.V2);
  }

  void applyUpdate(byte[] update, Object origin, UpdateFormat format) {
    Map<Long, Encoding.ClientRefs> refs;
    DeleteSet ds;
    List<Item> withParent = new ArrayList<>();
    try {
      UpdateDecoder decoder = format.decoder(new Lib0Reader(update));
      refs = Encoding.readClientsStructRefs(decoder, withParent);
      ds = DeleteSet.read(decoder);
    } catch (Lib0FormatException e) {
      throw new InvalidUpdateException("malformed update: " + e.getMessage(), e);
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      throw new InvalidUpdateException("malformed update", e);
    }
    Encoding.validateParents(refs, withParent, store);
    for (Item item : withParent) {
      if (item.parentKey != null) {
        item.parent = get(item.parentKey);
        item.parentKey = null;
      }
    }
    transact(t -> {
      UpdateApplier.apply(t, refs, ds);
      return null;
    }, origin, false);
  }

  /** The state vector: for every client, the next clock this replica expects. */
  public byte[] encodeStateVector() {
    return Encoding.encodeStateVector(store.getStateVector());
  }

  /** The whole document as one v1 update. */
  public byte[] encodeStateAsUpdate() {
    return encodeStateAsUpdate(null);
  }

  /** What a replica at {@code stateVector} lacks, as one v1 update ({@code null}: everything). */
  public byte[] encodeStateAsUpdate(byte[] stateVector) {
    return encodeStateAsUpdate(stateVector, UpdateFormat.V1);
  }

  /** As {@link #encodeStateAsUpdate(byte[])} in the v2 format. */
  public byte[] encodeStateAsUpdateV2(byte[] stateVector) {
    return encodeStateAsUpdate(stateVector, UpdateFormat.V2);
  }

  byte[] encodeStateAsUpdate(byte[] stateVector, UpdateFormat format) {
    byte[] sv = stateVector == null ? new byte[] {0} : stateVector;
    Map<Long, Integer> target = Encoding.decodeStateVector(sv);
    UpdateEncoder encoder = format.encoder();
    DeleteSet deletes = new DeleteSet();
    Encoding.writeClientsStructs(encoder, store, target, deletes);
    deletes.write(encoder);
    List<byte[]> updates = new ArrayList<>();
    updates.add(encoder.toByteArray());
    if (store.pendingDs != null) {
      updates.add(format.fromV1(store.pendingDs));
    }
    if (store.pendingStructs != null) {
      updates.add(format.fromV1(Updates.diffUpdate(store.pendingStructs.update, sv)));
    }
    if (updates.size() > 1) {
      return format == UpdateFormat.V1 ? Updates.mergeUpdates(updates) : Updates.mergeUpdatesV2(updates);
    }
    return updates.get(0);
  }

  /** Whether some received structs or deletions still wait for updates that have not arrived. */
  public boolean hasPendingUpdates() {
    return store.pendingStructs != null || store.pendingDs != null;
  }
}
