package dev.chorus.yjs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The next expected clock of every client of a struct store at one moment: client ids in ascending
 * order with their clocks, in two arrays. Immutable. A transaction takes one when it begins and one
 * when it ends; copying two arrays costs far less than building a map per transaction, which with a
 * hundred clients in a document was most of the cost of applying a small update.
 */
final class Clocks {
  static final Clocks EMPTY = new Clocks(new long[0], new int[0]);

  private final long[] clients;
  private final int[] clocks;

  Clocks(long[] clients, int[] clocks) {
    this.clients = clients;
    this.clocks = clocks;
  }

  int size() {
    return clients.length;
  }

  long client(int i) {
    return clients[i];
  }

  int clock(int i) {
    return clocks[i];
  }

  /** The clock of {@code client}, 0 when it has no structs. */
  int get(long client) {
    return get(client, 0);
  }

  /** The clock of {@code client}, {@code absent} when it has no structs. */
  int get(long client, int absent) {
    int i = Arrays.binarySearch(clients, client);
    return i >= 0 ? clocks[i] : absent;
  }

  boolean contains(long client) {
    return Arrays.binarySearch(clients, client) >= 0;
  }

  /**
   * The clients whose clock in {@code after} is past their clock in {@code before} (0 when absent
   * there), with their clock in {@code before}; one walk over both.
   */
  static Clocks advanced(Clocks before, Clocks after) {
    long[] cs = new long[after.clients.length];
    int[] ks = new int[after.clients.length];
    int n = 0;
    int j = 0;
    for (int i = 0; i < after.clients.length; i++) {
      long client = after.clients[i];
      while (j < before.clients.length && before.clients[j] < client) {
        j++;
      }
      int was = j < before.clients.length && before.clients[j] == client ? before.clocks[j] : 0;
      if (after.clocks[i] > was) {
        cs[n] = client;
        ks[n] = was;
        n++;
      }
    }
    return n == 0 ? EMPTY : new Clocks(Arrays.copyOf(cs, n), Arrays.copyOf(ks, n));
  }

  Map<Long, Integer> toMap() {
    Map<Long, Integer> m = new HashMap<>(clients.length * 2);
    for (int i = 0; i < clients.length; i++) {
      m.put(clients[i], clocks[i]);
    }
    return m;
  }
}
