package dev.chorus.yjs;

import java.util.ArrayList;

/**
 * A remembered (item, index) pair in a long list or text, so an index lookup walks from the nearest
 * marker instead of from the start. At most {@link #MAX} per type; the least recently used is
 * recycled.
 */
final class SearchMarker {
  static final int MAX = 80;
  /** Recency order: one atomic counter (documents may live on different threads), compared only among one type's markers. */
  private static final java.util.concurrent.atomic.AtomicLong CLOCK = new java.util.concurrent.atomic.AtomicLong();

  Item p;
  int index;
  long timestamp;

  SearchMarker(Item p, int index) {
    p.marker(true);
    this.p = p;
    this.index = index;
    this.timestamp = CLOCK.getAndIncrement();
  }

  private void refresh() {
    timestamp = CLOCK.getAndIncrement();
  }

  private void overwrite(Item p, int index) {
    this.p.marker(false);
    this.p = p;
    p.marker(true);
    this.index = index;
    this.timestamp = CLOCK.getAndIncrement();
  }

  private static SearchMarker markPosition(ArrayList<SearchMarker> markers, Item p, int index) {
    if (markers.size() >= MAX) {
      SearchMarker oldest = markers.get(0);
      for (SearchMarker m : markers) {
        if (m.timestamp < oldest.timestamp) {
          oldest = m;
        }
      }
      oldest.overwrite(p, index);
      return oldest;
    }
    SearchMarker pm = new SearchMarker(p, index);
    markers.add(pm);
    return pm;
  }

  /** A marker at or near list position {@code index}, or null when markers do not help. */
  static SearchMarker find(AbstractType yarray, int index) {
    if (yarray.start == null || index == 0 || yarray.searchMarker == null) {
      return null;
    }
    ArrayList<SearchMarker> markers = yarray.searchMarker;
    SearchMarker marker = null;
    for (SearchMarker m : markers) {
      if (marker == null || Math.abs(index - m.index) < Math.abs(index - marker.index)) {
        marker = m;
      }
    }
    Item p = yarray.start;
    int pindex = 0;
    if (marker != null) {
      p = marker.p;
      pindex = marker.index;
      marker.refresh();
    }
    while (p.right != null && pindex < index) {
      if (!p.deleted() && p.countable()) {
        if (index < pindex + p.length) {
          break;
        }
        pindex += p.length;
      }
      p = p.right;
    }
    while (p.left != null && pindex > index) {
      p = p.left;
      if (!p.deleted() && p.countable()) {
        pindex -= p.length;
      }
    }
    // step left over items of the same run so the marker survives their merging
    while (p.left != null && p.left.client == p.client && p.left.clock + p.left.length == p.clock) {
      p = p.left;
      if (!p.deleted() && p.countable()) {
        pindex -= p.length;
      }
    }
    if (marker != null && Math.abs(marker.index - pindex) < (double) p.parent.length / MAX) {
      marker.overwrite(p, pindex);
      return marker;
    }
    return markPosition(markers, p, pindex);
  }

  /** Adjusts markers after {@code len} positions were inserted (positive) or deleted (negative) at {@code index}. */
  static void updateChanges(ArrayList<SearchMarker> markers, int index, int len) {
    for (int i = markers.size() - 1; i >= 0; i--) {
      SearchMarker m = markers.get(i);
      if (len > 0) {
        Item p = m.p;
        p.marker(false);
        // markers must sit on visible items: move left to one
        while (p != null && (p.deleted() || !p.countable())) {
          p = p.left;
          if (p != null && !p.deleted() && p.countable()) {
            m.index -= p.length;
          }
        }
        if (p == null || p.marker()) {
          markers.remove(i);
          continue;
        }
        m.p = p;
        p.marker(true);
      }
      if (index < m.index || (len > 0 && index == m.index)) {
        m.index = Math.max(index, m.index + len);
      }
    }
  }
}
