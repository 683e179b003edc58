package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0Writer;
import dev.chorus.yjs.lib0.RleEncoders;

/**
 * The v2 update format: each kind of field in its own run-length encoded column, the rest
 * (contents) in the rest stream; smaller than v1 for typical documents.
 */
final class UpdateEncoderV2 implements UpdateEncoder {
  private Lib0Writer rest = new Lib0Writer();
  private int dsCurrVal;
  private long keyClock;
  private final RleEncoders.IntDiffOptRle keyClockEncoder = new RleEncoders.IntDiffOptRle();
  private final RleEncoders.UintOptRle clientEncoder = new RleEncoders.UintOptRle();
  private final RleEncoders.IntDiffOptRle leftClockEncoder = new RleEncoders.IntDiffOptRle();
  private final RleEncoders.IntDiffOptRle rightClockEncoder = new RleEncoders.IntDiffOptRle();
  private final RleEncoders.Uint8Rle infoEncoder = new RleEncoders.Uint8Rle();
  private final RleEncoders.Strings stringEncoder = new RleEncoders.Strings();
  private final RleEncoders.Uint8Rle parentInfoEncoder = new RleEncoders.Uint8Rle();
  private final RleEncoders.UintOptRle typeRefEncoder = new RleEncoders.UintOptRle();
  private final RleEncoders.UintOptRle lenEncoder = new RleEncoders.UintOptRle();

  @Override
  public Lib0Writer rest() {
    return rest;
  }

  @Override
  public byte[] takeRest() {
    byte[] b = rest.toByteArray();
    rest = new Lib0Writer();
    return b;
  }

  @Override
  public byte[] toByteArray() {
    Lib0Writer w = new Lib0Writer();
    w.writeVarUint(0); // feature flag, unused
    w.writeVarUint8Array(keyClockEncoder.toByteArray());
    w.writeVarUint8Array(clientEncoder.toByteArray());
    w.writeVarUint8Array(leftClockEncoder.toByteArray());
    w.writeVarUint8Array(rightClockEncoder.toByteArray());
    w.writeVarUint8Array(infoEncoder.toByteArray());
    w.writeVarUint8Array(stringEncoder.toByteArray());
    w.writeVarUint8Array(parentInfoEncoder.toByteArray());
    w.writeVarUint8Array(typeRefEncoder.toByteArray());
    w.writeVarUint8Array(lenEncoder.toByteArray());
    w.writeBytes(rest.toByteArray());
    return w.toByteArray();
  }

  @Override
  public void resetDsCurVal() {
    dsCurrVal = 0;
  }

  @Override
  public void writeDsClock(int clock) {
    int diff = clock - dsCurrVal;
    dsCurrVal = clock;
    rest.writeVarUint(diff);
  }

  @Override
  public void writeDsLen(int len) {
    if (len == 0) {
      throw new IllegalStateException("empty delete range");
    }
    rest.writeVarUint(len - 1);
    dsCurrVal += len;
  }

  @Override
  public void writeLeftId(ID id) {
    clientEncoder.write(id.client);
    leftClockEncoder.write(id.clock);
  }

  @Override
  public void writeRightId(ID id) {
    clientEncoder.write(id.client);
    rightClockEncoder.write(id.clock);
  }

  @Override
  public void writeClient(long client) {
    clientEncoder.write(client);
  }

  @Override
  public void writeInfo(int info) {
    infoEncoder.write(info);
  }

  @Override
  public void writeString(String s) {
    stringEncoder.write(s);
  }

  @Override
  public void writeParentInfo(boolean isYKey) {
    parentInfoEncoder.write(isYKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int ref) {
    typeRefEncoder.write(ref);
  }

  @Override
  public void writeLen(int len) {
    lenEncoder.write(len);
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
    rest.writeAny(embed);
  }

  /** Yjs never fills its key cache, so every key is written anew with the next key clock; we do the same. */
  @Override
  public void writeKey(String key) {
    keyClockEncoder.write(keyClock++);
    stringEncoder.write(key);
  }
}
