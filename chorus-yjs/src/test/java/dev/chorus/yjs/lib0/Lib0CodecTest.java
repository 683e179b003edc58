package dev.chorus.yjs.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Lib0CodecTest {

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void varUintBoundaries() {
    long[] values = {0, 1, 127, 128, 16383, 16384, (1L << 31) - 1, 1L << 32, Lib0Writer.MAX_SAFE_INTEGER};
    for (long v : values) {
      Lib0Writer w = new Lib0Writer();
      w.writeVarUint(v);
      assertThat(new Lib0Reader(w.toByteArray()).readVarUint()).isEqualTo(v);
    }
    Lib0Writer w = new Lib0Writer();
    w.writeVarUint(300);
    assertThat(w.toByteArray()).containsExactly(bytes(0xAC, 0x02));
    assertThatThrownBy(() -> new Lib0Writer().writeVarUint(Lib0Writer.MAX_SAFE_INTEGER + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void varIntSignAndNegativeZero() {
    Lib0Writer w = new Lib0Writer();
    w.writeVarInt(-1);
    w.writeVarInt(true, 0);
    w.writeVarInt(64);
    w.writeVarInt(-(1L << 40));
    assertThat(Arrays.copyOf(w.toByteArray(), 4)).containsExactly(bytes(0x41, 0x40, 0x80, 0x01));
    Lib0Reader r = new Lib0Reader(w.toByteArray());
    assertThat(r.readVarInt()).isEqualTo(-1);
    double negZero = r.readVarIntAsDouble();
    assertThat(1 / negZero).isNegative();
    assertThat(r.readVarInt()).isEqualTo(64);
    assertThat(r.readVarInt()).isEqualTo(-(1L << 40));
    assertThat(r.hasRemaining()).isFalse();
  }

  @Test
  void stringsUseUtf8ByteLengthsAndReplaceLoneSurrogates() {
    Lib0Writer w = new Lib0Writer();
    w.writeVarString("h\u00e9\u20ac\uD83D\uDE00");
    assertThat(w.toByteArray()).containsExactly(bytes(10, 'h', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80));
    Lib0Writer lone = new Lib0Writer();
    lone.writeVarString("a\uD800b\uDC00");
    assertThat(lone.toByteArray()).containsExactly(bytes(8, 'a', 0xEF, 0xBF, 0xBD, 'b', 0xEF, 0xBF, 0xBD));
    assertThat(new Lib0Reader(lone.toByteArray()).readVarString()).isEqualTo("a\uFFFDb\uFFFD");
  }

  @Test
  void invalidUtf8IsRejectedLikeAFatalTextDecoder() {
    assertThatThrownBy(() -> new Lib0Reader(bytes(2, 0xC3, 0x28)).readVarString()).isInstanceOf(Lib0FormatException.class);
    assertThatThrownBy(() -> new Lib0Reader(bytes(3, 0xED, 0xA0, 0x80)).readVarString()).isInstanceOf(Lib0FormatException.class);
  }

  @Test
  void anyRoundTripsAndPicksTheNumberTagLikeLib0() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("b", 1.0);
    obj.put("2", "two");
    obj.put("a", List.of(true, false, Undefined.INSTANCE));
    List<Object> values = Arrays.asList(null, "s", 0.5, 1.1, 2147483647.0, 2147483648.0, -0.0,
        BigInteger.valueOf(-5), new byte[] {1, 2}, obj);
    Lib0Writer w = new Lib0Writer();
    for (Object v : values) {
      w.writeAny(v);
    }
    Lib0Reader r = new Lib0Reader(w.toByteArray());
    assertThat(r.readAny()).isNull();
    assertThat(r.readAny()).isEqualTo("s");
    assertThat(r.readAny()).isEqualTo(0.5);
    assertThat(r.readAny()).isEqualTo(1.1);
    assertThat(r.readAny()).isEqualTo(2147483647.0);
    assertThat(r.readAny()).isEqualTo(2147483648.0);
    assertThat(1 / (Double) r.readAny()).isNegative();
    assertThat(r.readAny()).isEqualTo(BigInteger.valueOf(-5));
    assertThat((byte[]) r.readAny()).containsExactly(1, 2);
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) r.readAny();
    assertThat(back.keySet()).containsExactly("2", "b", "a"); // Object.keys order: indexes first
    assertThat(back.get("a")).isEqualTo(List.of(true, false, Undefined.INSTANCE));

    Lib0Writer tags = new Lib0Writer();
    tags.writeAny(0.5);
    tags.writeAny(1.1);
    tags.writeAny(2147483648.0);
    tags.writeAny(7);
    byte[] b = tags.toByteArray();
    assertThat(b[0] & 0xFF).isEqualTo(124);
    assertThat(b[5] & 0xFF).isEqualTo(123);
    assertThat(b[14] & 0xFF).isEqualTo(124); // 2^31 is exact in float32, as lib0 decides
    assertThat(Arrays.copyOfRange(b, 19, 21)).containsExactly(bytes(125, 7));
  }

  @Test
  void truncatedAndAbsurdInputFailsCleanly() {
    assertThatThrownBy(() -> new Lib0Reader(bytes(0x80)).readVarUint()).isInstanceOf(Lib0FormatException.class);
    assertThatThrownBy(() -> new Lib0Reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)).readVarUint())
        .isInstanceOf(Lib0FormatException.class);
    // eight bytes carry at most 53 bits: 2^53 - 1 is the largest, 2^53 and a ninth byte are rejected
    assertThat(new Lib0Reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F)).readVarUint())
        .isEqualTo(Lib0Writer.MAX_SAFE_INTEGER);
    assertThatThrownBy(() -> new Lib0Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10)).readVarUint())
        .isInstanceOf(Lib0FormatException.class).hasMessageContaining("2^53");
    assertThatThrownBy(() -> new Lib0Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00)).readVarUint())
        .isInstanceOf(Lib0FormatException.class).hasMessageContaining("2^53");
    assertThatThrownBy(() -> new Lib0Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).readVarUintAsInt())
        .isInstanceOf(Lib0FormatException.class);
    // a 2^40 element array announced by 6 bytes must fail before allocating anything
    assertThatThrownBy(() -> new Lib0Reader(bytes(117, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20)).readAny())
        .isInstanceOf(Lib0FormatException.class).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> new Lib0Reader(bytes(0x10, 'a')).readVarString()).isInstanceOf(Lib0FormatException.class);
    assertThatThrownBy(() -> new Lib0Reader(bytes(99)).readAny()).isInstanceOf(Lib0FormatException.class);
    byte[] deep = new byte[2000];
    for (int i = 0; i < deep.length; i += 2) {
      deep[i] = 117;
      deep[i + 1] = 1;
    }
    assertThatThrownBy(() -> new Lib0Reader(deep).readAny()).isInstanceOf(Lib0FormatException.class);
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButFormatErrors() {
    Random rnd = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[rnd.nextInt(24)];
      rnd.nextBytes(b);
      Lib0Reader r = new Lib0Reader(b);
      try {
        while (r.hasRemaining()) {
          r.readAny();
        }
      } catch (Lib0FormatException expected) {
        // fine: a clear error
      }
    }
  }

  @Test
  void jsonMatchesJavaScript() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("x", 1.0);
    obj.put("u", Undefined.INSTANCE);
    obj.put("s", "q\"\n\uD800");
    obj.put("l", Arrays.asList(0.1, 1e21, 1e-7, -0.0, Undefined.INSTANCE, 123456789.125));
    assertThat(JsJson.stringify(obj))
        .isEqualTo("{\"x\":1,\"s\":\"q\\\"\\n\\ud800\",\"l\":[0.1,1e+21,1e-7,0,null,123456789.125]}");
    Object parsed = JsJson.parse(" {\"a\":[1,2.5,\"\\u00e9\"],\"b\":null} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", List.of(1.0, 2.5, "\u00e9"));
    expected.put("b", null);
    assertThat(parsed).isEqualTo(expected);
    assertThatThrownBy(() -> JsJson.parse("{\"a\":}")).isInstanceOf(Lib0FormatException.class);
    assertThat(JsValues.numberToString(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(JsValues.numberToString(5e-324)).isEqualTo("5e-324");
    assertThat(JsValues.numberToString(1.5e300)).isEqualTo("1.5e+300");
  }
}
