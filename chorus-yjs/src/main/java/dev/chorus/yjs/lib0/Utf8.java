package dev.chorus.yjs.lib0;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as JavaScript's TextEncoder/TextDecoder do it: encoding turns lone surrogates into U+FFFD
 * (the JDK encoder would write '?'); decoding is strict, like lib0's fatal TextDecoder.
 */
final class Utf8 {
  private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() ->
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));

  private Utf8() {}

  static int encodedLength(String s) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          len += 2; // 4 bytes for 2 chars
          i++;
        } else {
          len += 2; // 3 bytes, including U+FFFD for a lone surrogate
        }
      }
    }
    return len;
  }

  static int encode(String s, int n, byte[] out, int pos) {
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          out[pos++] = (byte) (0xF0 | (cp >> 18));
          out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          out[pos++] = (byte) 0xEF;
          out[pos++] = (byte) 0xBF;
          out[pos++] = (byte) 0xBD;
        }
      } else {
        out[pos++] = (byte) (0xE0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Whether no byte has its high bit set; eight bytes per step (text content is mostly ASCII). */
  static boolean isAscii(byte[] arr, int off, int len) {
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      if (((long) LONGS.get(arr, i) & HIGH_BITS) != 0) {
        return false;
      }
    }
    for (; i < end; i++) {
      if (arr[i] < 0) {
        return false;
      }
    }
    return true;
  }

  static String decode(byte[] arr, int off, int len) {
    if (isAscii(arr, off, len)) {
      return new String(arr, off, len, StandardCharsets.ISO_8859_1);
    }
    try {
      CharBuffer cb = DECODER.get().reset().decode(ByteBuffer.wrap(arr, off, len));
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw new Lib0FormatException("invalid UTF-8 in string");
    }
  }
}
