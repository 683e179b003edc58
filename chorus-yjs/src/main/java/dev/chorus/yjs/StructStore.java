package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * All structs of a document, per client, sorted by clock without gaps; plus the updates that could
 * not be integrated yet because something they depend on has not arrived ({@link #pendingStructs},
 * {@link #pendingDs}, both kept as encoded v1 updates).
 */
final class StructStore {
  final Map<Long, ArrayList<AbstractStruct>> clients = new HashMap<>();
  /** Structs waiting for missing clocks, as an encoded update, with the lowest missing clock per client. */
  PendingStructs pendingStructs;
  /** Deletions of clocks not yet received, as an encoded update without structs. */
  byte[] pendingDs;

  static final class PendingStructs {
    final Map<Long, Integer> missing;
    byte[] update;

    PendingStructs(Map<Long, Integer> missing, byte[] update) {
      this.missing = missing;
      this.update = update;
    }
  }

  // one-entry cache in front of the map: updates and transactions mostly touch one client at a time
  private long cachedClient = -1;
  private ArrayList<AbstractStruct> cachedStructs;

  /** The structs of {@code client}, or null when none were received. */
  ArrayList<AbstractStruct> structs(long client) {
    if (client == cachedClient) {
      return cachedStructs;
    }
    ArrayList<AbstractStruct> structs = clients.get(client);
    if (structs != null) {
      cachedClient = client;
      cachedStructs = structs;
    }
    return structs;
  }

  void putClient(long client, ArrayList<AbstractStruct> structs) {
    clients.put(client, structs);
    if (client == cachedClient) {
      cachedStructs = structs;
    }
    if (!structs.isEmpty()) {
      AbstractStruct last = structs.get(structs.size() - 1);
      setClock(client, last.clock + last.length);
    }
  }

  // the state vector, kept as structs are added: client ids ascending, with their next clocks
  private long[] svClients = new long[8];
  private int[] svClocks = new int[8];
  private int svSize;

  private void setClock(long client, int clock) {
    int i = java.util.Arrays.binarySearch(svClients, 0, svSize, client);
    if (i >= 0) {
      svClocks[i] = clock;
      return;
    }
    i = -i - 1;
    if (svSize == svClients.length) {
      svClients = java.util.Arrays.copyOf(svClients, svSize * 2);
      svClocks = java.util.Arrays.copyOf(svClocks, svSize * 2);
    }
    System.arraycopy(svClients, i, svClients, i + 1, svSize - i);
    System.arraycopy(svClocks, i, svClocks, i + 1, svSize - i);
    svClients[i] = client;
    svClocks[i] = clock;
    svSize++;
  }

  /** The state vector now, as an immutable snapshot. */
  Clocks clocks() {
    return new Clocks(java.util.Arrays.copyOf(svClients, svSize), java.util.Arrays.copyOf(svClocks, svSize));
  }

  Map<Long, Integer> getStateVector() {
    Map<Long, Integer> sm = new HashMap<>(svSize * 2);
    for (int i = 0; i < svSize; i++) {
      sm.put(svClients[i], svClocks[i]);
    }
    return sm;
  }

  /** The clients whose clock is now past their clock in {@code before}, with that clock. */
  Clocks advancedSince(Clocks before) {
    return Clocks.advanced(before, clocks());
  }

  int getState(long client) {
    ArrayList<AbstractStruct> structs = structs(client);
    if (structs == null) {
      return 0;
    }
    AbstractStruct last = structs.get(structs.size() - 1);
    return last.clock + last.length;
  }

  void addStruct(AbstractStruct struct) {
    ArrayList<AbstractStruct> structs = structs(struct.client);
    if (structs == null) {
      structs = new ArrayList<>();
      putClient(struct.client, structs);
    } else {
      AbstractStruct last = structs.get(structs.size() - 1);
      if (last.clock + last.length != struct.clock) {
        throw new IllegalStateException("struct store gap for client " + struct.client);
      }
    }
    structs.add(struct);
    setClock(struct.client, struct.clock + struct.length);
  }

  /** Index of the struct containing {@code clock}; pivots on the clock density first, then bisects. */
  static int findIndex(ArrayList<AbstractStruct> structs, int clock) {
    int left = 0;
    int right = structs.size() - 1;
    AbstractStruct mid = structs.get(right);
    int midClock = mid.clock;
    if (midClock <= clock) {
      // the last struct: where new structs attach (origins mostly point at the previous insertion)
      if (clock < midClock + mid.length) {
        return right;
      }
      throw new IllegalStateException("clock " + clock + " not in the struct store");
    }
    int midIndex = (int) ((long) clock * right / Math.max(1L, (long) midClock + mid.length - 1));
    while (left <= right) {
      if (midIndex < left || midIndex > right) {
        midIndex = (left + right) >>> 1;
      }
      mid = structs.get(midIndex);
      midClock = mid.clock;
      if (midClock <= clock) {
        if (clock < midClock + mid.length) {
          return midIndex;
        }
        left = midIndex + 1;
      } else {
        right = midIndex - 1;
      }
      midIndex = (left + right) >>> 1;
    }
    throw new IllegalStateException("clock " + clock + " not in the struct store");
  }

  /**
   * As {@link #findIndex(ArrayList, int)}, trying {@code hint} and its right neighbour first: passes
   * over sorted clock ranges (delete sets) mostly land on or just after the previous index.
   */
  static int findIndex(ArrayList<AbstractStruct> structs, int clock, int hint) {
    int n = structs.size();
    if (hint >= 0 && hint < n) {
      AbstractStruct s = structs.get(hint);
      if (s.clock <= clock) {
        if (clock < s.clock + s.length) {
          return hint;
        }
        if (hint + 1 < n) {
          s = structs.get(hint + 1);
          if (s.clock <= clock && clock < s.clock + s.length) {
            return hint + 1;
          }
        }
      }
    }
    return findIndex(structs, clock);
  }

  /** As {@link #findIndex(ArrayList, int, int)} for passes going down: tries {@code hint} and its left neighbour. */
  static int findIndexBackward(ArrayList<AbstractStruct> structs, int clock, int hint) {
    if (hint >= 0 && hint < structs.size()) {
      AbstractStruct s = structs.get(hint);
      if (s.clock <= clock && clock < s.clock + s.length) {
        return hint;
      }
      if (hint > 0 && clock < s.clock) {
        s = structs.get(hint - 1);
        if (s.clock <= clock && clock < s.clock + s.length) {
          return hint - 1;
        }
      }
    }
    return findIndex(structs, clock);
  }

  AbstractStruct find(ID id) {
    ArrayList<AbstractStruct> structs = structs(id.client);
    if (structs == null) {
      throw new IllegalStateException("client " + id.client + " not in the struct store");
    }
    return structs.get(findIndex(structs, id.clock));
  }

  /** Index of a struct starting exactly at {@code clock}, splitting an item if needed. */
  static int findIndexCleanStart(Transaction transaction, ArrayList<AbstractStruct> structs, int clock) {
    int index = findIndex(structs, clock);
    AbstractStruct struct = structs.get(index);
    if (struct.clock < clock && struct instanceof Item) {
      structs.add(index + 1, Item.split(transaction, (Item) struct, clock - struct.clock));
      return index + 1;
    }
    return index;
  }

  AbstractStruct getItemCleanStart(Transaction transaction, ID id) {
    ArrayList<AbstractStruct> structs = structs(id.client);
    return structs.get(findIndexCleanStart(transaction, structs, id.clock));
  }

  /** The struct ending exactly at {@code id}, splitting an item if needed. */
  AbstractStruct getItemCleanEnd(Transaction transaction, ID id) {
    ArrayList<AbstractStruct> structs = structs(id.client);
    int index = findIndex(structs, id.clock);
    AbstractStruct struct = structs.get(index);
    if (id.clock != struct.clock + struct.length - 1 && struct instanceof Item) {
      structs.add(index + 1, Item.split(transaction, (Item) struct, id.clock - struct.clock + 1));
    }
    return struct;
  }

  void replaceStruct(AbstractStruct struct, AbstractStruct newStruct) {
    ArrayList<AbstractStruct> structs = structs(struct.client);
    structs.set(findIndex(structs, struct.clock), newStruct);
  }

  /** Calls {@code f} for every struct in {@code [clockStart, clockStart + len)}, splitting at the edges. */
  static void iterateStructs(Transaction transaction, ArrayList<AbstractStruct> structs, int clockStart, long len,
                             java.util.function.Consumer<AbstractStruct> f) {
    if (len == 0) {
      return;
    }
    long clockEnd = clockStart + len;
    int index = findIndexCleanStart(transaction, structs, clockStart);
    AbstractStruct struct;
    do {
      struct = structs.get(index++);
      if (clockEnd < (long) struct.clock + struct.length) {
        findIndexCleanStart(transaction, structs, (int) clockEnd);
      }
      f.accept(struct);
    } while (index < structs.size() && structs.get(index).clock < clockEnd);
  }
}
