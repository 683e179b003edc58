package dev.chorus.yjs.protocol;

import dev.chorus.yjs.InvalidUpdateException;
import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.JsValues;
import dev.chorus.yjs.lib0.Lib0FormatException;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Presence per client (cursor, user name, ...) as y-protocols' {@code Awareness}: each client's state
 * is a JSON value with a clock; the higher clock wins; {@code null} removes the client. A remote
 * client not heard of for {@link #OUTDATED_TIMEOUT_MS} is removed by {@link #checkTimeouts()}.
 *
 * <p>There is no timer inside: the owner calls {@link #checkTimeouts()} periodically (y-protocols
 * does it every 3 s), which also renews the local state every 15 s. Not thread-safe.
 */
public final class Awareness {
  public static final long OUTDATED_TIMEOUT_MS = 30_000;

  /** Clock and time of the last update seen for a client. */
  public static final class Meta {
    public final long clock;
    public final long lastUpdated;

    Meta(long clock, long lastUpdated) {
      this.clock = clock;
      this.lastUpdated = lastUpdated;
    }
  }

  private final long clientId;
  private final LongSupplier clock;
  private final Map<Long, Object> states = new LinkedHashMap<>();
  private final Map<Long, Meta> meta = new LinkedHashMap<>();
  private final List<AwarenessListener> changeListeners = new CopyOnWriteArrayList<>();
  private final List<AwarenessListener> updateListeners = new CopyOnWriteArrayList<>();

  /** An awareness for {@code clientId} with the wall clock; the local state starts as {@code {}}. */
  public Awareness(long clientId) {
    this(clientId, System::currentTimeMillis);
  }

  /** As {@link #Awareness(long)} with an injectable millisecond clock (for tests and simulations). */
  public Awareness(long clientId, LongSupplier clockMillis) {
    this.clientId = clientId;
    this.clock = clockMillis;
    setLocalState(new LinkedHashMap<>());
  }

  public long clientId() {
    return clientId;
  }

  /** Called when states were added, removed, or changed in value. */
  public void onChange(AwarenessListener l) {
    changeListeners.add(l);
  }

  /** Called for every accepted update, including renewals with an unchanged value. */
  public void onUpdate(AwarenessListener l) {
    updateListeners.add(l);
  }

  public Object getLocalState() {
    return states.get(clientId);
  }

  /** The current states by client id (a snapshot). */
  public Map<Long, Object> getStates() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }

  public Meta meta(long client) {
    return meta.get(client);
  }

  /** Sets (or with {@code null} removes) the local state, bumping the local clock. */
  public void setLocalState(Object state) {
    Object value = state == null ? null : JsValues.normalize(state);
    Meta curr = meta.get(clientId);
    long clk = curr == null ? 0 : curr.clock + 1;
    Object prevState = states.get(clientId);
    if (value == null) {
      states.remove(clientId);
    } else {
      states.put(clientId, value);
    }
    meta.put(clientId, new Meta(clk, clock.getAsLong()));
    List<Long> added = new ArrayList<>();
    List<Long> updated = new ArrayList<>();
    List<Long> filteredUpdated = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    if (value == null) {
      removed.add(clientId);
    } else if (prevState == null) {
      added.add(clientId);
    } else {
      updated.add(clientId);
      if (!deepEqual(prevState, value)) {
        filteredUpdated.add(clientId);
      }
    }
    if (!added.isEmpty() || !filteredUpdated.isEmpty() || !removed.isEmpty()) {
      emit(changeListeners, new AwarenessChange(added, filteredUpdated, removed), "local");
    }
    emit(updateListeners, new AwarenessChange(added, updated, removed), "local");
  }

  /** Sets one field of the local state object (when there is a local state). */
  @SuppressWarnings("unchecked")
  public void setLocalStateField(String field, Object value) {
    Object state = getLocalState();
    if (state instanceof Map) {
      Map<String, Object> next = new LinkedHashMap<>((Map<String, Object>) state);
      next.put(field, value);
      setLocalState(next);
    }
  }

  /**
   * Renews the local state when it is half way to the timeout and removes remote clients not heard
   * of for {@link #OUTDATED_TIMEOUT_MS} (origin {@code "timeout"}).
   */
  public void checkTimeouts() {
    long now = clock.getAsLong();
    Meta local = meta.get(clientId);
    if (getLocalState() != null && local != null && OUTDATED_TIMEOUT_MS / 2 <= now - local.lastUpdated) {
      setLocalState(getLocalState());
    }
    List<Long> remove = new ArrayList<>();
    meta.forEach((client, m) -> {
      if (client != clientId && OUTDATED_TIMEOUT_MS <= now - m.lastUpdated && states.containsKey(client)) {
        remove.add(client);
      }
    });
    if (!remove.isEmpty()) {
      removeStates(remove, "timeout");
    }
  }

  /** Removes clients' states locally (e.g. when their connection closed). */
  public void removeStates(List<Long> clients, Object origin) {
    List<Long> removed = new ArrayList<>();
    for (Long client : clients) {
      if (states.containsKey(client)) {
        states.remove(client);
        if (client == clientId) {
          Meta cur = meta.get(client);
          meta.put(client, new Meta(cur.clock + 1, clock.getAsLong()));
        }
        removed.add(client);
      }
    }
    if (!removed.isEmpty()) {
      AwarenessChange c = new AwarenessChange(List.of(), List.of(), removed);
      emit(changeListeners, c, origin);
      emit(updateListeners, c, origin);
    }
  }

  /** Encodes the states of {@code clients} (absent ones as {@code null}, i.e. removed). */
  public byte[] encodeUpdate(List<Long> clients) {
    Lib0Writer w = new Lib0Writer();
    w.writeVarUint(clients.size());
    for (Long client : clients) {
      Meta m = meta.get(client);
      if (m == null) {
        throw new IllegalArgumentException("unknown awareness client " + client);
      }
      w.writeVarUint(client);
      w.writeVarUint(m.clock);
      Object state = states.get(client);
      w.writeVarString(state == null ? "null" : JsJson.stringify(state));
    }
    return w.toByteArray();
  }

  /**
   * Applies an awareness update: a higher clock replaces a client's state; {@code null} at the same
   * or a higher clock removes it. Our own client cannot be removed remotely while it has a state:
   * its clock is bumped instead so the next local update wins.
   *
   * @throws InvalidUpdateException on malformed bytes or JSON (nothing is applied then)
   */
  public void applyUpdate(byte[] update, Object origin) {
    List<long[]> heads = new ArrayList<>();
    List<Object> parsed = new ArrayList<>();
    try {
      Lib0Reader r = new Lib0Reader(update);
      int len = r.readLength();
      for (int i = 0; i < len; i++) {
        long client = r.readVarUint();
        long clk = r.readVarUint();
        heads.add(new long[] {client, clk});
        parsed.add(JsJson.parse(r.readVarString()));
      }
    } catch (Lib0FormatException e) {
      throw new InvalidUpdateException("malformed awareness update: " + e.getMessage(), e);
    }
    long timestamp = clock.getAsLong();
    List<Long> added = new ArrayList<>();
    List<Long> updated = new ArrayList<>();
    List<Long> filteredUpdated = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      long client = heads.get(i)[0];
      long clk = heads.get(i)[1];
      Object state = parsed.get(i);
      Meta clientMeta = meta.get(client);
      Object prevState = states.get(client);
      long currClock = clientMeta == null ? 0 : clientMeta.clock;
      if (currClock < clk || (currClock == clk && state == null && states.containsKey(client))) {
        if (state == null) {
          if (client == clientId && getLocalState() != null) {
            clk++; // we are alive: our next update must beat this removal
          } else {
            states.remove(client);
          }
        } else {
          states.put(client, state);
        }
        meta.put(client, new Meta(clk, timestamp));
        if (clientMeta == null && state != null) {
          added.add(client);
        } else if (clientMeta != null && state == null) {
          removed.add(client);
        } else if (state != null) {
          if (!deepEqual(state, prevState)) {
            filteredUpdated.add(client);
          }
          updated.add(client);
        }
      }
    }
    if (!added.isEmpty() || !filteredUpdated.isEmpty() || !removed.isEmpty()) {
      emit(changeListeners, new AwarenessChange(added, filteredUpdated, removed), origin);
    }
    if (!added.isEmpty() || !updated.isEmpty() || !removed.isEmpty()) {
      emit(updateListeners, new AwarenessChange(added, updated, removed), origin);
    }
  }

  /** lib0's equalityDeep on JSON values: objects compare by keys regardless of order. */
  static boolean deepEqual(Object a, Object b) {
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> ma = (Map<?, ?>) a;
      Map<?, ?> mb = (Map<?, ?>) b;
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !deepEqual(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List && b instanceof List) {
      List<?> la = (List<?>) a;
      List<?> lb = (List<?>) b;
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!deepEqual(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static void emit(List<AwarenessListener> ls, AwarenessChange c, Object origin) {
    for (AwarenessListener l : ls) {
      l.onChange(c, origin);
    }
  }
}
