package dev.chorus.yjs;

/** The type ref table: the number written for a nested type to the class that is created on read. */
final class TypeRefs {
  static final int ARRAY = 0;
  static final int MAP = 1;
  static final int TEXT = 2;
  static final int XML_ELEMENT = 3;
  static final int XML_FRAGMENT = 4;
  static final int XML_HOOK = 5;
  static final int XML_TEXT = 6;

  private TypeRefs() {}

  static AbstractType read(UpdateDecoder decoder) {
    int ref = decoder.readTypeRef();
    switch (ref) {
      case ARRAY: return new YArray();
      case MAP: return new YMap();
      case TEXT: return new YText();
      case XML_ELEMENT: return new YXmlElement(decoder.readKey());
      case XML_FRAGMENT: return new YXmlFragment();
      case XML_HOOK: return new YXmlHook(decoder.readKey());
      case XML_TEXT: return new YXmlText();
      default:
        throw new InvalidUpdateException("unknown type ref " + ref);
    }
  }
}
