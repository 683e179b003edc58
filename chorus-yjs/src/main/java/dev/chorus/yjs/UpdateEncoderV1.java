package dev.chorus.yjs;

import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.Lib0Writer;

/** The v1 update format: every field a var int or var string in one stream. */
final class UpdateEncoderV1 implements UpdateEncoder {
  private Lib0Writer rest = new Lib0Writer();

  @Override
  public Lib0Writer rest() {
    return rest;
  }

  @Override
  public byte[] toByteArray() {
    return rest.toByteArray();
  }

  @Override
  public byte[] takeRest() {
    byte[] b = rest.toByteArray();
    rest = new Lib0Writer();
    return b;
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public void writeDsClock(int clock) {
    rest.writeVarUint(clock);
  }

  @Override
  public void writeDsLen(int len) {
    rest.writeVarUint(len);
  }

  @Override
  public void writeLeftId(ID id) {
    rest.writeVarUint(id.client);
    rest.writeVarUint(id.clock);
  }

  @Override
  public void writeRightId(ID id) {
    rest.writeVarUint(id.client);
    rest.writeVarUint(id.clock);
  }

  @Override
  public void writeClient(long client) {
    rest.writeVarUint(client);
  }

  @Override
  public void writeInfo(int info) {
    rest.writeUint8(info);
  }

  @Override
  public void writeString(String s) {
    rest.writeVarString(s);
  }

  @Override
  public void writeParentInfo(boolean isYKey) {
    rest.writeVarUint(isYKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int ref) {
    rest.writeVarUint(ref);
  }

  @Override
  public void writeLen(int len) {
    rest.writeVarUint(len);
  }

  @Override
  public void writeAny(Object any) {
    rest.writeAny(any);
  }

  @Override
  public void writeBuf(byte[] buf) {
    rest.writeVarUint8Array(buf);
  }

  @Override
  public void writeJson(Object embed) {
    String json = JsJson.stringify(embed);
    rest.writeVarString(json == null ? "undefined" : json);
  }

  @Override
  public void writeKey(String key) {
    rest.writeVarString(key);
  }
}
