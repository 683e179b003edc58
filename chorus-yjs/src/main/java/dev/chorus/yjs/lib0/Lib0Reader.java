package dev.chorus.yjs.lib0;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads lib0-encoded values from a byte array. Every read checks the remaining input first, so a
 * length read from the input never drives an allocation larger than the input itself; malformed
 * input raises {@link Lib0FormatException}. Not thread-safe.
 */
public final class Lib0Reader {
  /** Deepest nesting of arrays and objects {@link #readAny} accepts. */
  public static final int MAX_DEPTH = 512;

  private final byte[] arr;
  private final int end;
  private int pos;

  public Lib0Reader(byte[] arr) {
    this(arr, 0, arr.length);
  }

  public Lib0Reader(byte[] arr, int off, int len) {
    if (off < 0 || len < 0 || off + len > arr.length) {
      throw new IndexOutOfBoundsException();
    }
    this.arr = arr;
    this.pos = off;
    this.end = off + len;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  private static Lib0FormatException eof() {
    return new Lib0FormatException("unexpected end of input");
  }

  public int readUint8() {
    if (pos >= end) {
      throw eof();
    }
    return arr[pos++] & 0xFF;
  }

  /** Reads an unsigned var int of at most 53 bits. */
  public long readVarUint() {
    // most values (lengths, small clocks, info bits) fit one byte
    if (pos < end && arr[pos] >= 0) {
      return arr[pos++];
    }
    long num = 0;
    for (int shift = 0; pos < end; shift += 7) {
      int r = arr[pos++];
      if (shift == 49) {
        // the eighth byte holds bits 49..52 and must end the number
        if (r < 0 || r > 0x0F) {
          throw new Lib0FormatException("var uint exceeds 2^53 - 1");
        }
        return num | (long) r << 49;
      }
      num |= (long) (r & 0x7F) << shift;
      if (r >= 0) {
        return num;
      }
    }
    throw eof();
  }

  /** Reads an unsigned var int that must fit a non-negative {@code int} (lengths, clocks). */
  public int readVarUintAsInt() {
    if (pos < end && arr[pos] >= 0) {
      return arr[pos++];
    }
    long v = readVarUint();
    if (v > Integer.MAX_VALUE) {
      throw new Lib0FormatException("value too large: " + v);
    }
    return (int) v;
  }

  /** Reads a length that must not exceed the remaining input (each element needs at least a byte). */
  public int readLength() {
    long v = readVarUint();
    if (v > remaining()) {
      throw new Lib0FormatException("length " + v + " exceeds the remaining " + remaining() + " bytes");
    }
    return (int) v;
  }

  /**
   * Reads a signed var int. JavaScript's {@code -0} comes back as {@code 0}; use
   * {@link #readVarIntAsDouble()} to keep it.
   */
  public long readVarInt() {
    double d = readVarIntAsDouble();
    return (long) d;
  }

  /** Reads a signed var int as a JavaScript number, keeping the sign of zero. */
  public double readVarIntAsDouble() {
    int r = readUint8();
    long num = r & 0x3F;
    boolean negative = (r & 0x40) != 0;
    int shift = 6;
    while ((r & 0x80) != 0) {
      r = readUint8();
      num |= (long) (r & 0x7F) << shift;
      if (num > Lib0Writer.MAX_SAFE_INTEGER || shift > 53) {
        throw new Lib0FormatException("var int exceeds 2^53 - 1");
      }
      shift += 7;
    }
    return negative ? -(double) num : (double) num;
  }

  /** Reads {@code len} raw bytes. */
  public byte[] readBytes(int len) {
    if (len < 0 || len > remaining()) {
      throw eof();
    }
    byte[] out = Arrays.copyOfRange(arr, pos, pos + len);
    pos += len;
    return out;
  }

  /** Reads a length-prefixed byte array. */
  public byte[] readVarUint8Array() {
    return readBytes(readLength());
  }

  /** Reads a length-prefixed strict UTF-8 string. */
  public String readVarString() {
    int len = readLength();
    String s = Utf8.decode(arr, pos, len);
    pos += len;
    return s;
  }

  public float readFloat32() {
    if (remaining() < 4) {
      throw eof();
    }
    int bits = ((arr[pos] & 0xFF) << 24) | ((arr[pos + 1] & 0xFF) << 16) | ((arr[pos + 2] & 0xFF) << 8) | (arr[pos + 3] & 0xFF);
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  public long readInt64() {
    if (remaining() < 8) {
      throw eof();
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (arr[pos++] & 0xFF);
    }
    return v;
  }

  public double readFloat64() {
    return Double.longBitsToDouble(readInt64());
  }

  /** Reads a value in lib0's {@code any} encoding (see the package documentation for the model). */
  public Object readAny() {
    return readAny(0);
  }

  private Object readAny(int depth) {
    int tag = readUint8();
    switch (tag) {
      case 127: return Undefined.INSTANCE;
      case 126: return null;
      case 125: return readVarIntAsDouble();
      case 124: return (double) readFloat32();
      case 123: return readFloat64();
      case 122: return BigInteger.valueOf(readInt64());
      case 121: return Boolean.FALSE;
      case 120: return Boolean.TRUE;
      case 119: return readVarString();
      case 118: {
        checkDepth(depth);
        int len = readLength();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < len; i++) {
          String key = readVarString();
          m.put(key, readAny(depth + 1));
        }
        return m;
      }
      case 117: {
        checkDepth(depth);
        int len = readLength();
        List<Object> l = new ArrayList<>(Math.min(len, 64));
        for (int i = 0; i < len; i++) {
          l.add(readAny(depth + 1));
        }
        return l;
      }
      case 116: return readVarUint8Array();
      default:
        throw new Lib0FormatException("unknown any tag " + tag);
    }
  }

  private static void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new Lib0FormatException("value nested deeper than " + MAX_DEPTH);
    }
  }
}
