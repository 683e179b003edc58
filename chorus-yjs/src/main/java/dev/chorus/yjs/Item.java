package dev.chorus.yjs;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One insertion: content placed between {@code origin} (the element it was typed after) and
 * {@code rightOrigin} (the element it was typed before) inside a parent type, at a map key when
 * {@code parentSub} is set. {@link #integrate} places it with the YATA rules so every replica ends
 * with the same order whatever the delivery order.
 */
final class Item extends AbstractStruct {
  private static final int KEEP = 1;
  private static final int COUNTABLE = 2;
  private static final int DELETED = 4;
  private static final int MARKER = 8;

  ID origin;
  Item left;
  Item right;
  ID rightOrigin;
  /** The parent once known; before integration an item may only carry {@link #parentId} or {@link #parentKey}. */
  AbstractType parent;
  ID parentId;
  String parentKey;
  String parentSub;
  Content content;
  int info;

  Item(long client, int clock, Item left, ID origin, Item right, ID rightOrigin,
       AbstractType parent, String parentSub, Content content) {
    super(client, clock, content.length());
    this.origin = origin;
    this.left = left;
    this.right = right;
    this.rightOrigin = rightOrigin;
    this.parent = parent;
    this.parentSub = parentSub;
    this.content = content;
    this.info = content.countable() ? COUNTABLE : 0;
  }

  boolean marker() {
    return (info & MARKER) != 0;
  }

  void marker(boolean marked) {
    info = marked ? info | MARKER : info & ~MARKER;
  }

  boolean keep() {
    return (info & KEEP) != 0;
  }

  void keep(boolean keep) {
    info = keep ? info | KEEP : info & ~KEEP;
  }

  boolean countable() {
    return (info & COUNTABLE) != 0;
  }

  @Override
  boolean deleted() {
    return (info & DELETED) != 0;
  }

  void markDeleted() {
    info |= DELETED;
  }

  ID lastId() {
    return new ID(client, clock + length - 1);
  }

  /** The next undeleted item to the right. */
  Item next() {
    Item n = right;
    while (n != null && n.deleted()) {
      n = n.right;
    }
    return n;
  }

  /** The previous undeleted item to the left. */
  Item prev() {
    Item n = left;
    while (n != null && n.deleted()) {
      n = n.left;
    }
    return n;
  }

  /**
   * Splits {@code leftItem} at clock offset {@code diff}: {@code leftItem} keeps the first
   * {@code diff} clocks, the returned item (already linked in) the rest.
   */
  static Item split(Transaction transaction, Item leftItem, int diff) {
    Item rightItem = new Item(leftItem.client, leftItem.clock + diff, leftItem,
        new ID(leftItem.client, leftItem.clock + diff - 1), leftItem.right, leftItem.rightOrigin,
        leftItem.parent, leftItem.parentSub, leftItem.content.splice(diff));
    rightItem.parentId = leftItem.parentId;
    rightItem.parentKey = leftItem.parentKey;
    if (leftItem.deleted()) {
      rightItem.markDeleted();
    }
    if (leftItem.keep()) {
      rightItem.keep(true);
    }
    // leftItem.rightOrigin stays: changing it would make encoded updates disagree with other peers
    leftItem.right = rightItem;
    if (rightItem.right != null) {
      rightItem.right.left = rightItem;
    }
    transaction.mergeStructs.add(rightItem);
    if (rightItem.parentSub != null && rightItem.right == null) {
      rightItem.parent.map.put(rightItem.parentSub, rightItem);
    }
    leftItem.length = diff;
    return rightItem;
  }

  @Override
  long getMissing(Transaction transaction, StructStore store) {
    if (origin != null && origin.client != client && origin.clock >= store.getState(origin.client)) {
      return origin.client;
    }
    if (rightOrigin != null && rightOrigin.client != client && rightOrigin.clock >= store.getState(rightOrigin.client)) {
      return rightOrigin.client;
    }
    if (parentId != null && client != parentId.client && parentId.clock >= store.getState(parentId.client)) {
      return parentId.client;
    }
    // everything is there: resolve the ids to items
    AbstractStruct l = null;
    AbstractStruct r = null;
    if (origin != null) {
      l = store.getItemCleanEnd(transaction, origin);
      if (l instanceof Item) {
        left = (Item) l;
        origin = left.lastId();
      }
    }
    if (rightOrigin != null) {
      r = store.getItemCleanStart(transaction, rightOrigin);
      if (r instanceof Item) {
        right = (Item) r;
        rightOrigin = right.id();
      }
    }
    if (l instanceof GC || r instanceof GC) {
      // a neighbour was garbage collected, so the parent was deleted: integrate as GC
      parent = null;
      parentId = null;
      parentKey = null;
    } else if (parent == null && parentId == null && parentKey == null) {
      if (left != null) {
        parent = left.parent;
        parentSub = left.parentSub;
      } else if (right != null) {
        parent = right.parent;
        parentSub = right.parentSub;
      }
    } else if (parentId != null) {
      AbstractStruct parentItem = store.find(parentId);
      parentId = null;
      if (parentItem instanceof Item && ((Item) parentItem).content instanceof ContentType) {
        parent = ((ContentType) ((Item) parentItem).content).type;
      } else {
        parent = null; // GC'd parent (validated earlier: never a non-type item)
      }
    }
    return -1;
  }

  @Override
  void integrate(Transaction transaction, int offset) {
    if (offset > 0) {
      clock += offset;
      AbstractStruct l = transaction.doc.store.getItemCleanEnd(transaction, new ID(client, clock - 1));
      if (l instanceof Item) {
        left = (Item) l;
        origin = left.lastId();
      } else {
        parent = null; // our own earlier clocks were garbage collected with their parent
      }
      content = content.splice(offset);
      length -= offset;
    }
    if (parent == null) {
      new GC(client, clock, length).integrate(transaction, 0);
      return;
    }
    if ((left == null && (right == null || right.left != null)) || (left != null && left.right != right)) {
      Item newLeft = left;
      Item o;
      if (newLeft != null) {
        o = newLeft.right;
      } else if (parentSub != null) {
        o = parent.map.get(parentSub);
        while (o != null && o.left != null) {
          o = o.left;
        }
      } else {
        o = parent.start;
      }
      // YATA: scan the items between our origins; conflicting ones (same origin) are ordered by client id
      Set<Item> conflictingItems = Collections.newSetFromMap(new IdentityHashMap<>());
      Set<Item> itemsBeforeOrigin = Collections.newSetFromMap(new IdentityHashMap<>());
      while (o != null && o != right) {
        itemsBeforeOrigin.add(o);
        conflictingItems.add(o);
        if (ID.equal(origin, o.origin)) {
          if (o.client < client) {
            newLeft = o;
            conflictingItems.clear();
          } else if (ID.equal(rightOrigin, o.rightOrigin)) {
            break;
          }
        } else if (o.origin != null && itemsBeforeOrigin.contains(transaction.doc.store.find(o.origin))) {
          if (!conflictingItems.contains(transaction.doc.store.find(o.origin))) {
            newLeft = o;
            conflictingItems.clear();
          }
        } else {
          break;
        }
        o = o.right;
      }
      left = newLeft;
    }
    if (left != null) {
      right = left.right;
      left.right = this;
    } else {
      Item r;
      if (parentSub != null) {
        r = parent.map.get(parentSub);
        while (r != null && r.left != null) {
          r = r.left;
        }
      } else {
        r = parent.start;
        parent.start = this;
      }
      right = r;
    }
    if (right != null) {
      right.left = this;
    } else if (parentSub != null) {
      // the rightmost item of a key is the key's current value
      parent.map.put(parentSub, this);
      if (left != null) {
        left.delete(transaction);
      }
    }
    if (parentSub == null && countable() && !deleted()) {
      parent.length += length;
    }
    transaction.doc.store.addStruct(this);
    content.integrate(transaction, this);
    transaction.addChangedType(parent, parentSub);
    if ((parent.item != null && parent.item.deleted()) || (parentSub != null && right != null)) {
      // inserted into a deleted type, or overwritten by a concurrent value of the same key
      delete(transaction);
    }
  }

  @Override
  boolean mergeWith(AbstractStruct r) {
    if (r.getClass() != Item.class) {
      return false;
    }
    Item right = (Item) r;
    ID ro = right.origin;
    if (ro != null && ro.client == client && ro.clock == clock + length - 1
        && this.right == right
        && ID.equal(rightOrigin, right.rightOrigin)
        && client == right.client
        && clock + length == right.clock
        && deleted() == right.deleted()
        && content.getClass() == right.content.getClass()
        && content.mergeWith(right.content)) {
      if (parent != null && parent.searchMarker != null) {
        for (SearchMarker marker : parent.searchMarker) {
          if (marker.p == right) {
            // right disappears into this item
            marker.p = this;
            if (!deleted() && countable()) {
              marker.index -= length;
            }
          }
        }
      }
      if (right.keep()) {
        keep(true);
      }
      this.right = right.right;
      if (this.right != null) {
        this.right.left = this;
      }
      length += right.length;
      return true;
    }
    return false;
  }

  void delete(Transaction transaction) {
    if (!deleted()) {
      if (countable() && parentSub == null) {
        parent.length -= length;
      }
      markDeleted();
      transaction.deleteSet.add(client, clock, length);
      transaction.addChangedType(parent, parentSub);
      content.delete(transaction);
    }
  }

  /** Drops the content of this deleted item; replaces the whole item by a GC when its parent is gone too. */
  void gc(StructStore store, boolean parentGCd) {
    if (!deleted()) {
      throw new IllegalStateException("gc of an undeleted item");
    }
    content.gc(store);
    if (parentGCd) {
      store.replaceStruct(this, new GC(client, clock, length));
    } else if (!(content instanceof ContentDeleted)) {
      content = new ContentDeleted(length);
    }
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    ID o = offset > 0 ? new ID(client, clock + offset - 1) : origin;
    int inf = (content.ref() & 0x1F)
        | (o == null ? 0 : 0x80)
        | (rightOrigin == null ? 0 : 0x40)
        | (parentSub == null ? 0 : 0x20);
    encoder.writeInfo(inf);
    if (o != null) {
      encoder.writeLeftId(o);
    }
    if (rightOrigin != null) {
      encoder.writeRightId(rightOrigin);
    }
    if (o == null && rightOrigin == null) {
      if (parent != null) {
        if (parent.item == null) {
          encoder.writeParentInfo(true);
          encoder.writeString(parent.rootName());
        } else {
          encoder.writeParentInfo(false);
          encoder.writeLeftId(parent.item.id());
        }
      } else if (parentKey != null) {
        encoder.writeParentInfo(true);
        encoder.writeString(parentKey);
      } else if (parentId != null) {
        encoder.writeParentInfo(false);
        encoder.writeLeftId(parentId);
      } else {
        throw new IllegalStateException("item without parent information");
      }
      if (parentSub != null) {
        encoder.writeString(parentSub);
      }
    }
    content.write(encoder, offset);
  }
}
