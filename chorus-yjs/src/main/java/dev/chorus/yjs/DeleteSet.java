package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deleted clock ranges per client. Deletions are not structs: they travel in every update as a
 * delete set and are idempotent, so applying one twice changes nothing.
 */
final class DeleteSet {
  /** A deleted range {@code [clock, clock + len)}. */
  static final class Range {
    final int clock;
    final int len;

    Range(int clock, int len) {
      this.clock = clock;
      this.len = len;
    }
  }

  // insertion ordered: deletions apply in the order the update lists them, as in Yjs
  final Map<Long, List<Range>> clients = new LinkedHashMap<>();

  boolean isEmpty() {
    return clients.isEmpty();
  }

  // one-entry cache for add: a transaction mostly deletes clocks of one client
  private long lastClient = -1;
  private List<Range> lastRanges;

  void add(long client, int clock, int len) {
    List<Range> ranges;
    if (client == lastClient) {
      ranges = lastRanges;
    } else {
      ranges = clients.computeIfAbsent(client, c -> new ArrayList<>());
      lastClient = client;
      lastRanges = ranges;
    }
    ranges.add(new Range(clock, len));
  }

  void put(long client, List<Range> ranges) {
    clients.put(client, ranges);
    if (client == lastClient) {
      lastRanges = ranges;
    }
  }

  boolean contains(ID id) {
    List<Range> dis = clients.get(id.client);
    return dis != null && findIndex(dis, id.clock) >= 0;
  }

  static int findIndex(List<Range> dis, int clock) {
    int left = 0;
    int right = dis.size() - 1;
    while (left <= right) {
      int mid = (left + right) >>> 1;
      Range r = dis.get(mid);
      if (r.clock <= clock) {
        if (clock < r.clock + r.len) {
          return mid;
        }
        left = mid + 1;
      } else {
        right = mid - 1;
      }
    }
    return -1;
  }

  /** Sorts each client's ranges and joins overlapping or adjacent ones. */
  void sortAndMerge() {
    for (List<Range> dels : clients.values()) {
      dels.sort((a, b) -> Integer.compare(a.clock, b.clock));
      int j = 1;
      for (int i = 1; i < dels.size(); i++) {
        Range left = dels.get(j - 1);
        Range right = dels.get(i);
        if ((long) left.clock + left.len >= right.clock) {
          dels.set(j - 1, new Range(left.clock, Math.max(left.len, right.clock + right.len - left.clock)));
        } else {
          if (j < i) {
            dels.set(j, right);
          }
          j++;
        }
      }
      if (dels.size() > j) {
        dels.subList(j, dels.size()).clear();
      }
    }
  }

  static DeleteSet merge(List<DeleteSet> dss) {
    DeleteSet merged = new DeleteSet();
    for (int i = 0; i < dss.size(); i++) {
      for (Map.Entry<Long, List<Range>> e : dss.get(i).clients.entrySet()) {
        if (!merged.clients.containsKey(e.getKey())) {
          List<Range> dels = new ArrayList<>(e.getValue());
          for (int k = i + 1; k < dss.size(); k++) {
            List<Range> more = dss.get(k).clients.get(e.getKey());
            if (more != null) {
              dels.addAll(more);
            }
          }
          merged.put(e.getKey(), dels);
        }
      }
    }
    merged.sortAndMerge();
    return merged;
  }

  /** The delete set implied by a struct store: every deleted item and GC, runs joined. */
  static DeleteSet fromStore(StructStore store) {
    DeleteSet ds = new DeleteSet();
    for (Map.Entry<Long, ArrayList<AbstractStruct>> e : store.clients.entrySet()) {
      addFromStructs(ds, e.getKey(), e.getValue());
    }
    return ds;
  }

  /** Adds the deleted runs of one client's structs (nothing when none is deleted). */
  static void addFromStructs(DeleteSet ds, long client, ArrayList<AbstractStruct> structs) {
    Runs runs = new Runs();
    for (int i = 0, n = structs.size(); i < n; i++) {
      runs.visit(structs.get(i));
    }
    runs.finish(ds, client);
  }

  /** Joins the deleted structs of one client, visited in clock order, into ranges. */
  static final class Runs {
    private List<Range> ranges;
    private int clock;
    private int len;

    void visit(AbstractStruct s) {
      if (s.deleted()) {
        if (len == 0) {
          clock = s.clock;
        }
        len += s.length;
      } else if (len > 0) {
        close();
      }
    }

    private void close() {
      if (ranges == null) {
        ranges = new ArrayList<>();
      }
      ranges.add(new Range(clock, len));
      len = 0;
    }

    /** Adds the ranges to {@code ds} (nothing when none was deleted). */
    void finish(DeleteSet ds, long client) {
      if (len > 0) {
        close();
      }
      if (ranges != null) {
        ds.put(client, ranges);
      }
    }
  }

  /** Writes clients in descending order, as Yjs does. */
  void write(DSEncoder encoder) {
    encoder.rest().writeVarUint(clients.size());
    List<Long> keys = new ArrayList<>(clients.keySet());
    keys.sort((a, b) -> Long.compare(b, a));
    for (Long client : keys) {
      List<Range> items = clients.get(client);
      encoder.resetDsCurVal();
      encoder.rest().writeVarUint(client);
      encoder.rest().writeVarUint(items.size());
      for (int from = 0, n = items.size(); from < n; from += Encoding.CHUNK) {
        writeRanges(encoder, items, from, Math.min(n, from + Encoding.CHUNK));
      }
    }
  }

  private static void writeRanges(DSEncoder encoder, List<Range> items, int from, int to) {
    for (int i = from; i < to; i++) {
      Range r = items.get(i);
      encoder.writeDsClock(r.clock);
      encoder.writeDsLen(r.len);
    }
  }

  static DeleteSet read(DSDecoder decoder) {
    DeleteSet ds = new DeleteSet();
    int numClients = decoder.rest().readLength();
    for (int i = 0; i < numClients; i++) {
      decoder.resetDsCurVal();
      long client = decoder.rest().readVarUint();
      int n = decoder.rest().readLength();
      if (n > 0) {
        List<Range> field = ds.clients.computeIfAbsent(client, c -> new ArrayList<>());
        for (int k = 0; k < n; k++) {
          int clock = decoder.readDsClock();
          int len = decoder.readDsLen();
          if ((long) clock + len > Integer.MAX_VALUE) {
            throw new InvalidUpdateException("delete range beyond the clock limit");
          }
          field.add(new Range(clock, len));
        }
      }
    }
    return ds;
  }
}
