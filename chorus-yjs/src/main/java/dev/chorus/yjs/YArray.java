package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A shared list of values (JSON-like values, {@code byte[]}, nested types, sub-documents).
 * Concurrent inserts at one position are ordered deterministically (YATA) on every replica.
 */
public final class YArray extends AbstractType {
  private List<Object> prelimContent = new ArrayList<>();

  public YArray() {
    searchMarker = new ArrayList<>();
  }

  @Override
  void integrate(Doc y, Item item) {
    super.integrate(y, item);
    List<Object> prelim = prelimContent;
    prelimContent = null;
    if (prelim != null && !prelim.isEmpty()) {
      insert(0, prelim);
    }
  }

  @Override
  AbstractType copyEmpty() {
    return new YArray();
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.ARRAY);
  }

  public int length() {
    return doc == null ? prelimContent.size() : length;
  }

  /**
   * Inserts {@code content} at {@code index}.
   *
   * @throws IndexOutOfBoundsException when {@code index > length()}
   */
  public void insert(int index, List<?> content) {
    if (doc != null) {
      doc.transact(t -> TypeList.insertGenerics(t, this, index, content));
    } else {
      prelimContent.addAll(index, content);
    }
  }

  public void insert(int index, Object... content) {
    insert(index, java.util.Arrays.asList(content));
  }

  public void push(List<?> content) {
    if (doc != null) {
      doc.transact(t -> TypeList.pushGenerics(t, this, content));
    } else {
      prelimContent.addAll(content);
    }
  }

  public void unshift(List<?> content) {
    insert(0, content);
  }

  /** Deletes {@code length} elements from {@code index}. */
  public void delete(int index, int length) {
    if (doc != null) {
      doc.transact(t -> TypeList.delete(t, this, index, length));
    } else {
      prelimContent.subList(index, index + length).clear();
    }
  }

  public Object get(int index) {
    if (doc == null) {
      return prelimContent.get(index);
    }
    return TypeList.get(this, index);
  }

  public List<Object> toArray() {
    return doc == null ? Collections.unmodifiableList(new ArrayList<>(prelimContent)) : TypeList.toArray(this);
  }

  @Override
  public List<Object> toJSON() {
    return TypeList.toJson(this);
  }
}
