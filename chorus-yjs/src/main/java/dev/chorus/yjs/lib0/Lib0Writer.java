package dev.chorus.yjs.lib0;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Appends lib0-encoded values to a growable byte array. Not thread-safe.
 *
 * <p>Every method produces exactly the bytes lib0's {@code encoding.js} produces for the
 * corresponding JavaScript value (see the package documentation for the value model).
 */
public final class Lib0Writer {
  /** Largest integer a JavaScript number represents exactly; lib0 var ints never exceed it. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private byte[] buf;
  private int pos;

  public Lib0Writer() {
    this(64);
  }

  public Lib0Writer(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Number of bytes written so far. */
  public int length() {
    return pos;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int extra) {
    if (buf.length - pos < extra) {
      long want = Math.max((long) buf.length * 2, (long) pos + extra);
      if (want > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("encoded output exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  public void writeUint8(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  /** Writes raw bytes without a length prefix. */
  public void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  public void writeBytes(byte[] bytes, int off, int len) {
    ensure(len);
    System.arraycopy(bytes, off, buf, pos, len);
    pos += len;
  }

  /** Writes {@code 0 <= n <= 2^53 - 1} in 7-bit groups, least significant first. */
  public void writeVarUint(long n) {
    if (n < 0 || n > MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("var uint out of range: " + n);
    }
    ensure(8);
    while (n > 0x7F) {
      buf[pos++] = (byte) (0x80 | (n & 0x7F));
      n >>>= 7;
    }
    buf[pos++] = (byte) n;
  }

  private static int varUintSize(long n) {
    int size = 1;
    while (n > 0x7F) {
      n >>>= 7;
      size++;
    }
    return size;
  }

  /** Writes a signed var int: first byte holds continuation, sign and 6 bits of magnitude. */
  public void writeVarInt(long n) {
    writeVarInt(n < 0, Math.abs(n));
  }

  /**
   * Writes a signed var int from sign and magnitude; {@code negative} with magnitude 0 is
   * JavaScript's {@code -0}, which lib0 keeps distinct.
   */
  public void writeVarInt(boolean negative, long magnitude) {
    if (magnitude < 0 || magnitude > MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("var int out of range: " + magnitude);
    }
    ensure(9);
    buf[pos++] = (byte) ((magnitude > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (magnitude & 0x3F));
    magnitude >>>= 6;
    while (magnitude > 0) {
      buf[pos++] = (byte) ((magnitude > 0x7F ? 0x80 : 0) | (magnitude & 0x7F));
      magnitude >>>= 7;
    }
  }

  /**
   * Writes a UTF-8 string prefixed by its byte length. Like JavaScript's {@code TextEncoder},
   * a lone surrogate becomes U+FFFD.
   */
  public void writeVarString(String s) {
    int n = s.length();
    // optimistic single pass for ASCII (byte length == char length); anything else starts over
    int prefix = varUintSize(n);
    ensure(prefix + n);
    int p = pos + prefix;
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      buf[p++] = (byte) c;
    }
    if (i == n) {
      writeVarUint(n);
      pos = p;
      return;
    }
    int bytes = Utf8.encodedLength(s);
    writeVarUint(bytes);
    ensure(bytes);
    pos = Utf8.encode(s, n, buf, pos);
  }

  /** Writes a length-prefixed byte array. */
  public void writeVarUint8Array(byte[] bytes) {
    writeVarUint(bytes.length);
    writeBytes(bytes);
  }

  public void writeFloat32(float f) {
    int bits = Float.floatToIntBits(f);
    ensure(4);
    buf[pos++] = (byte) (bits >>> 24);
    buf[pos++] = (byte) (bits >>> 16);
    buf[pos++] = (byte) (bits >>> 8);
    buf[pos++] = (byte) bits;
  }

  public void writeFloat64(double d) {
    writeInt64(Double.doubleToLongBits(d));
  }

  /** Writes a signed 64-bit big-endian integer (lib0's BigInt64). */
  public void writeInt64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  /**
   * Writes a value with lib0's self-describing {@code any} encoding. Java numbers are treated
   * as JavaScript numbers (see {@link JsValues#normalize}); integers of magnitude up to 2^31 - 1 use
   * the var int tag, numbers exact in float32 the float32 tag, the rest float64.
   *
   * @throws IllegalArgumentException for values outside the JavaScript value model
   */
  public void writeAny(Object v) {
    if (v == null) {
      writeUint8(126);
    } else if (v instanceof String) {
      writeUint8(119);
      writeVarString((String) v);
    } else if (v instanceof Boolean) {
      writeUint8((Boolean) v ? 120 : 121);
    } else if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.bitLength() > 63) {
        throw new IllegalArgumentException("bigint does not fit in 64 bits: " + b);
      }
      writeUint8(122);
      writeInt64(b.longValue());
    } else if (v instanceof Number) {
      writeNumber(JsValues.toDouble((Number) v));
    } else if (v instanceof byte[]) {
      writeUint8(116);
      writeVarUint8Array((byte[]) v);
    } else if (v instanceof List) {
      List<?> list = (List<?>) v;
      writeUint8(117);
      writeVarUint(list.size());
      for (Object o : list) {
        writeAny(o);
      }
    } else if (v instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) v;
      writeUint8(118);
      List<String> keys = JsValues.objectKeys(map);
      writeVarUint(keys.size());
      for (String key : keys) {
        writeVarString(key);
        writeAny(map.get(key));
      }
    } else if (v == Undefined.INSTANCE) {
      writeUint8(127);
    } else {
      throw new IllegalArgumentException("not a JavaScript value: " + v.getClass().getName());
    }
  }

  private void writeNumber(double d) {
    if (d == Math.rint(d) && Math.abs(d) <= 0x7FFFFFFF) {
      writeUint8(125);
      boolean negative = d < 0 || (d == 0 && 1 / d < 0);
      writeVarInt(negative, (long) Math.abs(d));
    } else if ((double) (float) d == d) {
      writeUint8(124);
      writeFloat32((float) d);
    } else {
      writeUint8(123);
      writeFloat64(d);
    }
  }
}
