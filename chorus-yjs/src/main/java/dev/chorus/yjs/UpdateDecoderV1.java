package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Undefined;

/** Reads the v1 update format (see {@link UpdateEncoderV1}). */
final class UpdateDecoderV1 implements UpdateDecoder {
  private final Lib0Reader rest;

  UpdateDecoderV1(Lib0Reader rest) {
    this.rest = rest;
  }

  @Override
  public Lib0Reader rest() {
    return rest;
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public int readDsClock() {
    return rest.readVarUintAsInt();
  }

  @Override
  public int readDsLen() {
    return rest.readVarUintAsInt();
  }

  @Override
  public ID readLeftId() {
    long client = rest.readVarUint();
    return new ID(client, rest.readVarUintAsInt());
  }

  @Override
  public ID readRightId() {
    return readLeftId();
  }

  @Override
  public long readClient() {
    return rest.readVarUint();
  }

  @Override
  public int readInfo() {
    return rest.readUint8();
  }

  @Override
  public String readString() {
    return rest.readVarString();
  }

  @Override
  public boolean readParentInfo() {
    return rest.readVarUint() == 1;
  }

  @Override
  public int readTypeRef() {
    return rest.readVarUintAsInt();
  }

  @Override
  public int readLen() {
    return rest.readVarUintAsInt();
  }

  @Override
  public Object readAny() {
    return rest.readAny();
  }

  @Override
  public byte[] readBuf() {
    return rest.readVarUint8Array();
  }

  @Override
  public Object readJson() {
    String s = rest.readVarString();
    return "undefined".equals(s) ? Undefined.INSTANCE : JsJson.parse(s);
  }

  @Override
  public String readKey() {
    return rest.readVarString();
  }
}
