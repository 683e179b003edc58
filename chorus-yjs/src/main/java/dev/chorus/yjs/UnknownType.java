package dev.chorus.yjs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A root that received content before this replica declared its type. It keeps the content until
 * {@code doc.getMap(name)} (or another getter) adopts it; its JSON is inferred from the content.
 */
final class UnknownType extends AbstractType {
  @Override
  AbstractType copyEmpty() {
    return new UnknownType();
  }

  @Override
  void writeRef(UpdateEncoder encoder) {
    throw new IllegalStateException("an undeclared root is never nested");
  }

  /**
   * Keyed content only: a map; list content of text kinds (strings, formats, embeds): a string;
   * XML children: the XML string; otherwise an array.
   */
  @Override
  public Object toJSON() {
    if (start == null && !map.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      YMap.mapToJson(this, out);
      return out;
    }
    for (Item n = start; n != null; n = n.right) {
      Content c = n.content;
      if (c instanceof ContentString || c instanceof ContentFormat || c instanceof ContentEmbed) {
        return YText.textToString(this);
      }
      if (c instanceof ContentType) {
        AbstractType t = ((ContentType) c).type;
        if (t instanceof YXmlElement || t instanceof YXmlText || t instanceof YXmlHook) {
          return YXmlFragment.childrenToString(this);
        }
        break;
      }
      if (!(c instanceof ContentDeleted)) {
        break;
      }
    }
    return TypeList.toJson(this);
  }
}
