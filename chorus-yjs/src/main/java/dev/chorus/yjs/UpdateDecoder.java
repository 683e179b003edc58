package dev.chorus.yjs;

/** Reads the fields of structs in one of the two update formats (see {@link UpdateEncoder}). */
interface UpdateDecoder extends DSDecoder {
  ID readLeftId();

  ID readRightId();

  long readClient();

  int readInfo();

  String readString();

  boolean readParentInfo();

  int readTypeRef();

  int readLen();

  Object readAny();

  byte[] readBuf();

  Object readJson();

  String readKey();
}
