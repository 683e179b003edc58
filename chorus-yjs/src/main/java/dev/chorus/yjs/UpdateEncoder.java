package dev.chorus.yjs;

/** Writes the fields of structs in one of the two update formats. */
interface UpdateEncoder extends DSEncoder {
  void writeLeftId(ID id);

  void writeRightId(ID id);

  void writeClient(long client);

  void writeInfo(int info);

  void writeString(String s);

  void writeParentInfo(boolean isYKey);

  void writeTypeRef(int ref);

  void writeLen(int len);

  void writeAny(Object any);

  void writeBuf(byte[] buf);

  void writeJson(Object embed);

  void writeKey(String key);
}
