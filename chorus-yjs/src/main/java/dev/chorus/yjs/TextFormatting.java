package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Text editing with formatting marks: finding positions, inserting and deleting text, applying
 * formats, and removing marks that became redundant. The cleanup deletes marks, which shows in
 * encoded state, so it follows Yjs step by step.
 */
final class TextFormatting {
  private TextFormatting() {}

  /** JavaScript's {@code ===} on our value model (objects compare by identity). */
  static boolean strictEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a instanceof Double && b instanceof Double) {
      return ((Double) a).doubleValue() == ((Double) b).doubleValue();
    }
    if (a instanceof String || a instanceof Boolean || a instanceof java.math.BigInteger) {
      return a.equals(b);
    }
    return false;
  }

  /** Yjs's {@code equalAttrs}: identical, or two objects with strictly equal properties. */
  static boolean equalAttrs(Object a, Object b) {
    if (strictEquals(a, b)) {
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> ma = (Map<?, ?>) a;
      Map<?, ?> mb = (Map<?, ?>) b;
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !strictEquals(mb.get(e.getKey()), e.getValue())) {
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
        if (!strictEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  static void updateCurrentAttributes(Map<String, Object> currentAttributes, ContentFormat format) {
    if (format.value == null) {
      currentAttributes.remove(format.key);
    } else {
      currentAttributes.put(format.key, format.value);
    }
  }

  static TextPosition findNextPosition(Transaction transaction, TextPosition pos, int count) {
    while (pos.right != null && count > 0) {
      if (pos.right.content instanceof ContentFormat) {
        if (!pos.right.deleted()) {
          updateCurrentAttributes(pos.currentAttributes, (ContentFormat) pos.right.content);
        }
      } else if (!pos.right.deleted()) {
        if (count < pos.right.length) {
          transaction.doc.store.getItemCleanStart(transaction, new ID(pos.right.client, pos.right.clock + count));
        }
        pos.index += pos.right.length;
        count -= pos.right.length;
      }
      pos.left = pos.right;
      pos.right = pos.right.right;
    }
    return pos;
  }

  static TextPosition findPosition(Transaction transaction, AbstractType parent, int index, boolean useSearchMarker) {
    LinkedHashMap<String, Object> currentAttributes = new LinkedHashMap<>();
    SearchMarker marker = useSearchMarker ? SearchMarker.find(parent, index) : null;
    if (marker != null) {
      TextPosition pos = new TextPosition(marker.p.left, marker.p, marker.index, currentAttributes);
      return findNextPosition(transaction, pos, index - marker.index);
    }
    return findNextPosition(transaction, new TextPosition(null, parent.start, 0, currentAttributes), index);
  }

  private static Item newItem(Transaction transaction, AbstractType parent, Item left, Item right, Content content) {
    long client = transaction.doc.clientId;
    return new Item(client, transaction.doc.store.getState(client), left, left == null ? null : left.lastId(),
        right, right == null ? null : right.id(), parent, null, content);
  }

  static void insertNegatedAttributes(Transaction transaction, AbstractType parent, TextPosition currPos,
                                      LinkedHashMap<String, Object> negatedAttributes) {
    // skip over marks that already say what we would insert
    while (currPos.right != null && (currPos.right.deleted()
        || (currPos.right.content instanceof ContentFormat
            && negatedAttributes.containsKey(((ContentFormat) currPos.right.content).key)
            && equalAttrs(negatedAttributes.get(((ContentFormat) currPos.right.content).key),
                ((ContentFormat) currPos.right.content).value)))) {
      if (!currPos.right.deleted()) {
        negatedAttributes.remove(((ContentFormat) currPos.right.content).key);
      }
      currPos.forward();
    }
    for (Map.Entry<String, Object> e : negatedAttributes.entrySet()) {
      Item nextFormat = newItem(transaction, parent, currPos.left, currPos.right, new ContentFormat(e.getKey(), e.getValue()));
      nextFormat.integrate(transaction, 0);
      currPos.right = nextFormat;
      currPos.forward();
    }
  }

  static void minimizeAttributeChanges(TextPosition currPos, Map<String, Object> attributes) {
    while (currPos.right != null) {
      if (currPos.right.deleted() || (currPos.right.content instanceof ContentFormat
          && equalAttrs(attributes.get(((ContentFormat) currPos.right.content).key), ((ContentFormat) currPos.right.content).value))) {
        currPos.forward();
      } else {
        break;
      }
    }
  }

  static LinkedHashMap<String, Object> insertAttributes(Transaction transaction, AbstractType parent, TextPosition currPos,
                                                        Map<String, Object> attributes) {
    LinkedHashMap<String, Object> negatedAttributes = new LinkedHashMap<>();
    for (String key : JsValues.objectKeys(attributes)) {
      Object val = attributes.get(key);
      Object currentVal = currPos.currentAttributes.get(key);
      if (!equalAttrs(currentVal, val)) {
        negatedAttributes.put(key, currentVal);
        currPos.right = newItem(transaction, parent, currPos.left, currPos.right, new ContentFormat(key, val));
        currPos.right.integrate(transaction, 0);
        currPos.forward();
      }
    }
    return negatedAttributes;
  }

  /** Inserts a string, an embed or a type at {@code currPos} with exactly {@code attributes} in effect. */
  static void insertText(Transaction transaction, AbstractType parent, TextPosition currPos, Object text,
                         Map<String, Object> attrs) {
    LinkedHashMap<String, Object> attributes = new LinkedHashMap<>(attrs);
    for (String key : currPos.currentAttributes.keySet()) {
      if (!attributes.containsKey(key)) {
        attributes.put(key, null);
      }
    }
    minimizeAttributeChanges(currPos, attributes);
    LinkedHashMap<String, Object> negatedAttributes = insertAttributes(transaction, parent, currPos, attributes);
    Content content;
    if (text instanceof String) {
      content = new ContentString((String) text);
    } else if (text instanceof AbstractType) {
      content = new ContentType((AbstractType) text);
    } else {
      content = new ContentEmbed(JsValues.normalize(text));
    }
    if (parent.searchMarker != null) {
      SearchMarker.updateChanges(parent.searchMarker, currPos.index, content.length());
    }
    int index = currPos.index;
    Item right = newItem(transaction, parent, currPos.left, currPos.right, content);
    right.integrate(transaction, 0);
    currPos.right = right;
    currPos.index = index;
    currPos.forward();
    insertNegatedAttributes(transaction, parent, currPos, negatedAttributes);
  }

  static void formatText(Transaction transaction, AbstractType parent, TextPosition currPos, int length,
                         Map<String, Object> attributes) {
    minimizeAttributeChanges(currPos, attributes);
    LinkedHashMap<String, Object> negatedAttributes = insertAttributes(transaction, parent, currPos, attributes);
    iteration:
    while (currPos.right != null && (length > 0 || (!negatedAttributes.isEmpty()
        && (currPos.right.deleted() || currPos.right.content instanceof ContentFormat)))) {
      if (!currPos.right.deleted()) {
        if (currPos.right.content instanceof ContentFormat) {
          ContentFormat f = (ContentFormat) currPos.right.content;
          if (attributes.containsKey(f.key)) {
            Object attr = attributes.get(f.key);
            if (equalAttrs(attr, f.value)) {
              negatedAttributes.remove(f.key);
            } else {
              if (length == 0) {
                // a later mark already ends the format: keep it
                break iteration;
              }
              negatedAttributes.put(f.key, f.value);
            }
            currPos.right.delete(transaction);
          } else {
            currPos.currentAttributes.put(f.key, f.value);
          }
        } else {
          if (length < currPos.right.length) {
            transaction.doc.store.getItemCleanStart(transaction, new ID(currPos.right.client, currPos.right.clock + length));
          }
          length -= currPos.right.length;
        }
      }
      currPos.forward();
    }
    if (length > 0) {
      // formatting past the end inserts newlines, as Quill expects
      currPos.right = newItem(transaction, parent, currPos.left, currPos.right, new ContentString("\n".repeat(length)));
      currPos.right.integrate(transaction, 0);
      currPos.forward();
    }
    insertNegatedAttributes(transaction, parent, currPos, negatedAttributes);
  }

  static int cleanupFormattingGap(Transaction transaction, Item start, Item curr,
                                  Map<String, Object> startAttributes, Map<String, Object> currAttributes) {
    Item end = start;
    Map<String, ContentFormat> endFormats = new HashMap<>();
    while (end != null && (!end.countable() || end.deleted())) {
      if (!end.deleted() && end.content instanceof ContentFormat) {
        ContentFormat cf = (ContentFormat) end.content;
        endFormats.put(cf.key, cf);
      }
      end = end.right;
    }
    int cleanups = 0;
    boolean reachedCurr = false;
    while (start != end) {
      if (curr == start) {
        reachedCurr = true;
      }
      if (!start.deleted() && start.content instanceof ContentFormat) {
        ContentFormat cf = (ContentFormat) start.content;
        Object startAttrValue = startAttributes.get(cf.key);
        if (endFormats.get(cf.key) != cf || strictEquals(startAttrValue, cf.value)) {
          // overwritten before any content, or a no-op
          start.delete(transaction);
          cleanups++;
          if (!reachedCurr && strictEquals(currAttributes.get(cf.key), cf.value) && !strictEquals(startAttrValue, cf.value)) {
            if (startAttrValue == null) {
              currAttributes.remove(cf.key);
            } else {
              currAttributes.put(cf.key, startAttrValue);
            }
          }
        }
        if (!reachedCurr && !start.deleted()) {
          updateCurrentAttributes(currAttributes, cf);
        }
      }
      start = start.right;
    }
    return cleanups;
  }

  static void cleanupContextlessFormattingGap(Transaction transaction, Item item) {
    while (item != null && item.right != null && (item.right.deleted() || !item.right.countable())) {
      item = item.right;
    }
    Set<String> attrs = new HashSet<>();
    while (item != null && (item.deleted() || !item.countable())) {
      if (!item.deleted() && item.content instanceof ContentFormat) {
        String key = ((ContentFormat) item.content).key;
        if (attrs.contains(key)) {
          item.delete(transaction);
        } else {
          attrs.add(key);
        }
      }
      item = item.left;
    }
  }

  static int cleanupYTextFormatting(AbstractType type) {
    int[] res = {0};
    type.doc.transact(transaction -> {
      Item start = type.start;
      Item end = type.start;
      LinkedHashMap<String, Object> startAttributes = new LinkedHashMap<>();
      LinkedHashMap<String, Object> currentAttributes = new LinkedHashMap<>(startAttributes);
      while (end != null) {
        if (!end.deleted()) {
          if (end.content instanceof ContentFormat) {
            updateCurrentAttributes(currentAttributes, (ContentFormat) end.content);
          } else {
            res[0] += cleanupFormattingGap(transaction, start, end, startAttributes, currentAttributes);
            startAttributes = new LinkedHashMap<>(currentAttributes);
            start = end;
          }
        }
        end = end.right;
      }
    });
    return res[0];
  }

  /**
   * After a remote transaction touched a formatted text: removes marks made redundant by the
   * concurrent edits (in a follow-up local transaction, as Yjs does).
   */
  static void cleanupAfterTransaction(Transaction transaction) {
    Set<AbstractType> needFullCleanup = new java.util.LinkedHashSet<>();
    Doc doc = transaction.doc;
    Clocks advanced = transaction.advanced();
    for (int c = 0; c < advanced.size(); c++) {
      long client = advanced.client(c);
      int afterClock = transaction.afterState().get(client);
      int clock = advanced.clock(c);
      if (afterClock == clock) {
        continue;
      }
      // Yjs passes afterClock as the length here, which reaches to the end of the client's structs
      StructStore.iterateStructs(transaction, doc.store.clients.get(client), clock, afterClock, s -> {
        if (!s.deleted() && s instanceof Item && ((Item) s).content instanceof ContentFormat) {
          needFullCleanup.add(((Item) s).parent);
        }
      });
    }
    doc.transact(t -> {
      for (Map.Entry<Long, List<DeleteSet.Range>> e : transaction.deleteSet.clients.entrySet()) {
        ArrayList<AbstractStruct> structs = doc.store.clients.get(e.getKey());
        if (structs == null) {
          continue;
        }
        AbstractStruct last = structs.get(structs.size() - 1);
        int clockState = last.clock + last.length;
        for (DeleteSet.Range del : e.getValue()) {
          if (del.clock >= clockState) {
            break;
          }
          StructStore.iterateStructs(transaction, structs, del.clock, del.len, s -> {
            if (s instanceof GC || !(s instanceof Item)) {
              return;
            }
            Item item = (Item) s;
            if (item.parent == null || !item.parent.hasFormatting || needFullCleanup.contains(item.parent)) {
              return;
            }
            if (item.content instanceof ContentFormat) {
              needFullCleanup.add(item.parent);
            } else {
              cleanupContextlessFormattingGap(t, item);
            }
          });
        }
      }
      for (AbstractType yText : needFullCleanup) {
        cleanupYTextFormatting(yText);
      }
    });
  }

  static TextPosition deleteText(Transaction transaction, TextPosition currPos, int length) {
    int startLength = length;
    LinkedHashMap<String, Object> startAttrs = new LinkedHashMap<>(currPos.currentAttributes);
    Item start = currPos.right;
    while (length > 0 && currPos.right != null) {
      if (!currPos.right.deleted()) {
        Content c = currPos.right.content;
        if (c instanceof ContentType || c instanceof ContentEmbed || c instanceof ContentString) {
          if (length < currPos.right.length) {
            transaction.doc.store.getItemCleanStart(transaction, new ID(currPos.right.client, currPos.right.clock + length));
          }
          length -= currPos.right.length;
          currPos.right.delete(transaction);
        }
      }
      currPos.forward();
    }
    if (start != null) {
      cleanupFormattingGap(transaction, start, currPos.right, startAttrs, currPos.currentAttributes);
    }
    Item ref = currPos.left != null ? currPos.left : currPos.right;
    AbstractType parent = ref == null ? null : ref.parent;
    if (parent != null && parent.searchMarker != null) {
      SearchMarker.updateChanges(parent.searchMarker, currPos.index, -startLength + length);
    }
    return currPos;
  }
}
