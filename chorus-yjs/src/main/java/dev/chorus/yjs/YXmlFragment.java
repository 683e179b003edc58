package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A shared list of XML nodes ({@link YXmlElement}, {@link YXmlText}, {@link YXmlHook}); the root of an XML tree. */
public class YXmlFragment extends AbstractType {
  private List<AbstractType> prelimContent = new ArrayList<>();

  public YXmlFragment() {}

  @Override
  void integrate(Doc y, Item item) {
    super.integrate(y, item);
    List<AbstractType> prelim = prelimContent;
    prelimContent = null;
    if (prelim != null && !prelim.isEmpty()) {
      insert(0, prelim);
    }
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlFragment();
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TypeRefs.XML_FRAGMENT);
  }

  public int length() {
    return doc == null ? prelimContent.size() : length;
  }

  /** Inserts new (not yet inserted) XML nodes at {@code index}. */
  public void insert(int index, List<? extends AbstractType> nodes) {
    if (doc != null) {
      doc.transact(t -> TypeList.insertGenerics(t, this, index, nodes));
    } else {
      prelimContent.addAll(index, nodes);
    }
  }

  public void insert(int index, AbstractType... nodes) {
    insert(index, Arrays.asList(nodes));
  }

  public void push(List<? extends AbstractType> nodes) {
    insert(length(), nodes);
  }

  public void delete(int index, int length) {
    if (doc != null) {
      doc.transact(t -> TypeList.delete(t, this, index, length));
    } else {
      prelimContent.subList(index, index + length).clear();
    }
  }

  public AbstractType get(int index) {
    return doc == null ? prelimContent.get(index) : (AbstractType) TypeList.get(this, index);
  }

  /** The child nodes. */
  public List<AbstractType> children() {
    List<AbstractType> out = new ArrayList<>();
    if (doc == null) {
      out.addAll(prelimContent);
      return out;
    }
    for (Object o : TypeList.toArray(this)) {
      out.add((AbstractType) o);
    }
    return out;
  }

  /** The children rendered as XML, concatenated. */
  @Override
  public String toString() {
    return childrenToString(this);
  }

  static String childrenToString(AbstractType type) {
    StringBuilder sb = new StringBuilder();
    for (Object o : TypeList.toArray(type)) {
      sb.append(JsStrings.of(o));
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }
}
