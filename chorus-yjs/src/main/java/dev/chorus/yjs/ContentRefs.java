package dev.chorus.yjs;

/** The ref table: content kind number (info & 0x1F) to the reader of that kind. */
final class ContentRefs {
  static final int DELETED = 1;
  static final int JSON = 2;
  static final int BINARY = 3;
  static final int STRING = 4;
  static final int EMBED = 5;
  static final int FORMAT = 6;
  static final int TYPE = 7;
  static final int ANY = 8;
  static final int DOC = 9;

  private ContentRefs() {}

  static Content read(UpdateDecoder decoder, int info) {
    int ref = info & 0x1F;
    switch (ref) {
      case DELETED: return ContentDeleted.read(decoder);
      case JSON: return ContentJson.read(decoder);
      case BINARY: return new ContentBinary(decoder.readBuf());
      case STRING: return new ContentString(decoder.readString());
      case EMBED: return new ContentEmbed(decoder.readJson());
      case FORMAT: return new ContentFormat(decoder.readKey(), decoder.readJson());
      case TYPE: return new ContentType(TypeRefs.read(decoder));
      case ANY: return ContentAny.read(decoder);
      case DOC: return ContentDoc.read(decoder);
      default:
        throw new InvalidUpdateException("unknown content ref " + ref);
    }
  }
}
