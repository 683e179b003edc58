package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared rich text: characters (UTF-16 code units, as in JavaScript), embeds and formatting
 * attributes, with a Quill-style delta view ({@link #toDelta()}, {@link #applyDelta}).
 */
public class YText extends AbstractType {
  private List<Runnable> pending = new ArrayList<>();

  public YText() {
    searchMarker = new ArrayList<>();
  }

  /** A new text that will hold {@code initial} once inserted into a document. */
  public YText(String initial) {
    this();
    pending.add(() -> insert(0, initial));
  }

  @Override
  void integrate(Doc y, Item item) {
    super.integrate(y, item);
    List<Runnable> p = pending;
    pending = null;
    if (p != null) {
      p.forEach(Runnable::run);
    }
  }

  @Override
  AbstractType copyEmpty() {
    return new YText();
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.TEXT);
  }

  /** Length in UTF-16 code units (embeds count one). */
  public int length() {
    return length;
  }

  @Override
  void callObserver(Transaction transaction, Set<String> parentSubs) {
    super.callObserver(transaction, parentSubs);
    if (!transaction.local && hasFormatting) {
      transaction.needFormattingCleanup = true;
    }
  }

  private void run(Runnable r) {
    if (doc != null) {
      r.run();
    } else {
      pending.add(r);
    }
  }

  /** Inserts {@code text} at {@code index} with the formatting in effect there. */
  public void insert(int index, String text) {
    insert(index, text, null);
  }

  /**
   * Inserts {@code text} at {@code index} with exactly {@code attributes} ({@code null}: the
   * formatting in effect at the position).
   */
  public void insert(int index, String text, Map<String, Object> attributes) {
    if (text.isEmpty()) {
      return;
    }
    run(() -> doc.transact(t -> {
      TextPosition pos = TextFormatting.findPosition(t, this, index, attributes == null);
      Map<String, Object> attrs = attributes;
      if (attrs == null) {
        attrs = new LinkedHashMap<>(pos.currentAttributes);
      }
      TextFormatting.insertText(t, this, pos, text, attrs);
    }));
  }

  /** Inserts an embed (any JSON-like value, or a shared type) at {@code index}. */
  public void insertEmbed(int index, Object embed, Map<String, Object> attributes) {
    run(() -> doc.transact(t -> {
      TextPosition pos = TextFormatting.findPosition(t, this, index, attributes == null);
      TextFormatting.insertText(t, this, pos, embed, attributes == null ? Collections.emptyMap() : attributes);
    }));
  }

  public void delete(int index, int length) {
    if (length == 0) {
      return;
    }
    run(() -> doc.transact(t -> TextFormatting.deleteText(t, TextFormatting.findPosition(t, this, index, true), length)));
  }

  /** Sets {@code attributes} (a {@code null} value removes one) on {@code [index, index + length)}. */
  public void format(int index, int length, Map<String, Object> attributes) {
    if (length == 0) {
      return;
    }
    run(() -> doc.transact(t -> {
      TextPosition pos = TextFormatting.findPosition(t, this, index, false);
      if (pos.right == null) {
        return;
      }
      TextFormatting.formatText(t, this, pos, length, attributes);
    }));
  }

  /**
   * Applies a Quill delta: a list of {@code {insert, attributes}}, {@code {retain, attributes}} and
   * {@code {delete}} operations.
   */
  public void applyDelta(List<Map<String, Object>> delta) {
    run(() -> doc.transact(t -> {
      TextPosition currPos = new TextPosition(null, start, 0, new LinkedHashMap<>());
      for (Map<String, Object> op : delta) {
        @SuppressWarnings("unchecked")
        Map<String, Object> attrs = op.get("attributes") instanceof Map ? (Map<String, Object>) op.get("attributes") : Collections.emptyMap();
        if (op.containsKey("insert")) {
          Object ins = op.get("insert");
          if (!(ins instanceof String) || !((String) ins).isEmpty()) {
            TextFormatting.insertText(t, this, currPos, ins, attrs);
          }
        } else if (op.containsKey("retain")) {
          TextFormatting.formatText(t, this, currPos, ((Number) op.get("retain")).intValue(), attrs);
        } else if (op.containsKey("delete")) {
          TextFormatting.deleteText(t, currPos, ((Number) op.get("delete")).intValue());
        }
      }
    }));
  }

  /** The content as a Quill delta: inserts with their attributes. */
  public List<Map<String, Object>> toDelta() {
    List<Map<String, Object>> ops = new ArrayList<>();
    LinkedHashMap<String, Object> currentAttributes = new LinkedHashMap<>();
    StringBuilder str = new StringBuilder();
    for (Item n = start; n != null; n = n.right) {
      if (n.deleted()) {
        continue;
      }
      if (n.content instanceof ContentString) {
        ((ContentString) n.content).appendTo(str);
      } else if (n.content instanceof ContentType || n.content instanceof ContentEmbed) {
        packStr(ops, str, currentAttributes);
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("insert", n.content.get(0));
        if (!currentAttributes.isEmpty()) {
          op.put("attributes", new LinkedHashMap<>(currentAttributes));
        }
        ops.add(op);
      } else if (n.content instanceof ContentFormat) {
        packStr(ops, str, currentAttributes);
        TextFormatting.updateCurrentAttributes(currentAttributes, (ContentFormat) n.content);
      }
    }
    packStr(ops, str, currentAttributes);
    return ops;
  }

  private static void packStr(List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attrs) {
    if (str.length() > 0) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("insert", str.toString());
      if (!attrs.isEmpty()) {
        op.put("attributes", new LinkedHashMap<>(attrs));
      }
      ops.add(op);
      str.setLength(0);
    }
  }

  /** Sets a text-level attribute (not a character format). */
  public void setAttribute(String name, Object value) {
    run(() -> doc.transact(t -> TypeMap.set(t, this, name, value)));
  }

  public void removeAttribute(String name) {
    run(() -> doc.transact(t -> TypeMap.delete(t, this, name)));
  }

  public Object getAttribute(String name) {
    return TypeMap.get(this, name);
  }

  public Map<String, Object> getAttributes() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : TypeMap.keys(this)) {
      out.put(k, TypeMap.get(this, k));
    }
    return out;
  }

  /** The characters without formatting and embeds. */
  @Override
  public String toString() {
    return textToString(this);
  }

  static String textToString(AbstractType type) {
    StringBuilder sb = new StringBuilder();
    for (Item n = type.start; n != null; n = n.right) {
      if (!n.deleted() && n.countable() && n.content instanceof ContentString) {
        ((ContentString) n.content).appendTo(sb);
      }
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }
}
