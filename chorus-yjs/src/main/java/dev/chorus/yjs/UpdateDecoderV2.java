package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0FormatException;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.RleDecoders;
import java.util.ArrayList;
import java.util.List;

/** Reads the v2 update format (see {@link UpdateEncoderV2}). */
final class UpdateDecoderV2 implements UpdateDecoder {
  private final Lib0Reader rest;
  private int dsCurrVal;
  private final List<String> keys = new ArrayList<>();
  private final RleDecoders.IntDiffOptRle keyClockDecoder;
  private final RleDecoders.UintOptRle clientDecoder;
  private final RleDecoders.IntDiffOptRle leftClockDecoder;
  private final RleDecoders.IntDiffOptRle rightClockDecoder;
  private final RleDecoders.Uint8Rle infoDecoder;
  private final RleDecoders.Strings stringDecoder;
  private final RleDecoders.Uint8Rle parentInfoDecoder;
  private final RleDecoders.UintOptRle typeRefDecoder;
  private final RleDecoders.UintOptRle lenDecoder;

  UpdateDecoderV2(Lib0Reader decoder) {
    this.rest = decoder;
    decoder.readVarUint(); // feature flag, unused
    keyClockDecoder = new RleDecoders.IntDiffOptRle(decoder.readVarUint8Array());
    clientDecoder = new RleDecoders.UintOptRle(decoder.readVarUint8Array());
    leftClockDecoder = new RleDecoders.IntDiffOptRle(decoder.readVarUint8Array());
    rightClockDecoder = new RleDecoders.IntDiffOptRle(decoder.readVarUint8Array());
    infoDecoder = new RleDecoders.Uint8Rle(decoder.readVarUint8Array());
    stringDecoder = new RleDecoders.Strings(decoder.readVarUint8Array());
    parentInfoDecoder = new RleDecoders.Uint8Rle(decoder.readVarUint8Array());
    typeRefDecoder = new RleDecoders.UintOptRle(decoder.readVarUint8Array());
    lenDecoder = new RleDecoders.UintOptRle(decoder.readVarUint8Array());
  }

  @Override
  public Lib0Reader rest() {
    return rest;
  }

  @Override
  public void resetDsCurVal() {
    dsCurrVal = 0;
  }

  @Override
  public int readDsClock() {
    long v = (long) dsCurrVal + rest.readVarUint();
    if (v > Integer.MAX_VALUE) {
      throw new Lib0FormatException("delete clock out of range");
    }
    dsCurrVal = (int) v;
    return dsCurrVal;
  }

  @Override
  public int readDsLen() {
    long diff = rest.readVarUint() + 1;
    if (dsCurrVal + diff > Integer.MAX_VALUE) {
      throw new Lib0FormatException("delete length out of range");
    }
    dsCurrVal += (int) diff;
    return (int) diff;
  }

  @Override
  public ID readLeftId() {
    long client = clientDecoder.read();
    return new ID(client, leftClockDecoder.readInt());
  }

  @Override
  public ID readRightId() {
    long client = clientDecoder.read();
    return new ID(client, rightClockDecoder.readInt());
  }

  @Override
  public long readClient() {
    return clientDecoder.read();
  }

  @Override
  public int readInfo() {
    return infoDecoder.read();
  }

  @Override
  public String readString() {
    return stringDecoder.read();
  }

  @Override
  public boolean readParentInfo() {
    return parentInfoDecoder.read() == 1;
  }

  @Override
  public int readTypeRef() {
    return typeRefDecoder.readInt();
  }

  @Override
  public int readLen() {
    return lenDecoder.readInt();
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
    return rest.readAny();
  }

  @Override
  public String readKey() {
    long keyClock = keyClockDecoder.read();
    if (keyClock >= 0 && keyClock < keys.size()) {
      return keys.get((int) keyClock);
    }
    String key = stringDecoder.read();
    keys.add(key);
    return key;
  }
}
