package dev.chorus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecBadInputTest {
    private static final Codec JSON = Codec.forFormat(Format.JSON);
    private static final Codec MSGPACK = Codec.forFormat(Format.MSGPACK);

    private static ProtocolException jsonError(String frame) {
        return catchThrowableOfType(ProtocolException.class, () -> JSON.decodeRequest(frame.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                                   | 107 | 0 | ",
            "{not json                                            | 107 | 0 | malformed",
            "[1,2]                                                | 107 | 0 | must be an object",
            "\"text\"                                             | 107 | 0 | must be an object",
            "{\"id\":1}                                           | 107 | 1 | missing field 'op'",
            "{\"op\":\"fly\",\"id\":7}                            | 104 | 7 | unknown op 'fly'",
            "{\"id\":8,\"op\":\"publish\",\"channel\":\"c\"}      | 107 | 8 | missing field 'data'",
            "{\"id\":9,\"op\":\"subscribe\"}                      | 107 | 9 | missing field 'channel'",
            "{\"id\":2,\"op\":\"history\",\"channel\":\"c\",\"limit\":\"x\"} | 107 | 2 | field 'limit' must be an integer",
            "{\"id\":3,\"op\":\"subscribe\",\"channel\":5}        | 107 | 3 | field 'channel' must be a string",
            "{\"id\":4,\"op\":\"subscribe\",\"channel\":\"c\",\"since\":{\"offset\":-1,\"epoch\":\"e\"}} | 107 | 4 | since.offset",
            "{\"id\":5,\"op\":\"subscribe\",\"channel\":\"c\",\"since\":{\"offset\":1}} | 107 | 5 | needs both",
            "{\"id\":-1,\"op\":\"ping\"}                          | 107 | 0 | field 'id'",
            "{\"id\":1.5,\"op\":\"ping\"}                         | 107 | 0 | field 'id'",
            "{\"id\":99999999999999999999,\"op\":\"ping\"}        | 107 | 0 | field 'id'",
            "{\"id\":1,\"op\":\"ping\"} {}                        | 107 | 1 | trailing",
            "{\"id\":1,\"op\":\"ping\",\"op\":\"connect\"}        | 107 | 1 | ",
            "{\"id\":6,\"op\":\"publish\",\"channel\":\"c\",\"data\":{\"a\":1,\"a\":2}} | 107 | 6 | uplicate",
            "{\"id\":1,\"op\":\"ping\"                            | 107 | 1 | ",
    })
    void malformedJson(String frame, int code, long id, String fragment) {
        ProtocolException e = jsonError(frame);
        assertThat(e).as("frame %s", frame).isNotNull();
        assertThat(e.code().code()).isEqualTo(code);
        assertThat(e.requestId()).isEqualTo(id);
        if (fragment != null) {
            assertThat(e.getMessage()).contains(fragment);
        }
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(200) + "]".repeat(200);
        ProtocolException e = jsonError("{\"id\":1,\"op\":\"publish\",\"channel\":\"c\",\"data\":" + deep + "}");
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("nested");
        byte[] msgDeep = new byte[300];
        java.util.Arrays.fill(msgDeep, (byte) 0x91); // fixarray(1) inside fixarray(1) ...
        msgDeep[299] = 0x01;
        byte[] frame = concat(new byte[] {(byte) 0x81, (byte) 0xa1, 'x'}, msgDeep);
        assertThatThrownBy(() -> MSGPACK.decodeRequest(frame)).isInstanceOf(ProtocolException.class).hasMessageContaining("nested");
    }

    @Test
    void msgpackLiesAboutLengthsFailFast() {
        // str32 claiming 4 GiB
        byte[] hugeString = {(byte) 0x81, (byte) 0xdb, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'};
        assertThatThrownBy(() -> MSGPACK.decodeRequest(hugeString)).isInstanceOf(ProtocolException.class).hasMessageContaining("declares");
        // map32 claiming 2^32-1 entries
        byte[] hugeMap = {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> MSGPACK.decodeRequest(hugeMap)).isInstanceOf(ProtocolException.class).hasMessageContaining("declares");
        // array32 with 1e9 elements inside data
        byte[] hugeArray = {(byte) 0x81, (byte) 0xa4, 'd', 'a', 't', 'a', (byte) 0xdd, 0x3b, (byte) 0x9a, (byte) 0xca, 0x00};
        assertThatThrownBy(() -> MSGPACK.decodeRequest(hugeArray)).isInstanceOf(ProtocolException.class).hasMessageContaining("declares");
    }

    @Test
    void msgpackValuesWithoutJsonEquivalentAreRefused() {
        // {"op":"publish","channel":"c","data": ext8(type 1, 1 byte)}
        byte[] ext = msgpackPublish(new byte[] {(byte) 0xc7, 0x01, 0x01, 0x00});
        assertThatThrownBy(() -> MSGPACK.decodeRequest(ext)).isInstanceOf(ProtocolException.class).hasMessageContaining("extension");
        byte[] nan = msgpackPublish(new byte[] {(byte) 0xcb, 0x7f, (byte) 0xf8, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> MSGPACK.decodeRequest(nan)).isInstanceOf(ProtocolException.class).hasMessageContaining("non-finite");
        byte[] notMap = {(byte) 0x92, 0x01, 0x02};
        assertThatThrownBy(() -> MSGPACK.decodeRequest(notMap)).isInstanceOf(ProtocolException.class).hasMessageContaining("map");
        byte[] trailing = concat(msgpackPublish(new byte[] {0x01}), new byte[] {0x01});
        assertThatThrownBy(() -> MSGPACK.decodeRequest(trailing)).isInstanceOf(ProtocolException.class).hasMessageContaining("trailing");
    }

    @Test
    void msgpackBinaryBecomesBase64Text() throws Exception {
        Request r = MSGPACK.decodeRequest(msgpackPublish(new byte[] {(byte) 0xc4, 0x03, 1, 2, 3}));
        assertThat(((Request.Publish) r).data()).isEqualTo(Payload.ofJson("\"AQID\""));
    }

    /** Seeded random mutations of valid frames: only ProtocolException, never anything else. */
    @Test
    @org.junit.jupiter.api.Timeout(120) // a hang guard for runaway decoding, not a speed claim
    void fuzzedFramesNeverThrowAnythingElse() {
        Random random = new Random(20261122);
        for (Format f : Format.values()) {
            Codec codec = Codec.forFormat(f);
            for (Request valid : CodecRoundTripTest.requests()) {
                byte[] base = codec.encodeRequest(valid);
                for (int i = 0; i < 300; i++) {
                    byte[] mutated = mutate(base, random);
                    try {
                        codec.decodeRequest(mutated);
                    } catch (ProtocolException expected) {
                        assertThat(expected.getMessage()).isNotBlank();
                    } catch (Throwable t) {
                        throw new AssertionError(f + " decoder threw " + t + " on " + java.util.HexFormat.of().formatHex(mutated), t);
                    }
                }
            }
        }
    }

    /** The same for the client side: mutated replies and pushes. */
    @Test
    @org.junit.jupiter.api.Timeout(120) // a hang guard for runaway decoding, not a speed claim
    void fuzzedServerFramesNeverThrowAnythingElse() {
        Random random = new Random(77);
        for (Format f : Format.values()) {
            Codec codec = Codec.forFormat(f);
            java.util.List<byte[]> valid = new java.util.ArrayList<>();
            CodecRoundTripTest.pushes().forEach(p -> valid.add(codec.encodePush(p)));
            CodecRoundTripTest.replies().forEach(r -> valid.add(codec.encodeReply(r)));
            for (byte[] base : valid) {
                for (int i = 0; i < 200; i++) {
                    byte[] mutated = mutate(base, random);
                    try {
                        codec.decodeServerFrame(mutated, 0, mutated.length);
                    } catch (ProtocolException expected) {
                        assertThat(expected.getMessage()).isNotBlank();
                    } catch (Throwable t) {
                        throw new AssertionError(f + " decoder threw " + t + " on " + java.util.HexFormat.of().formatHex(mutated), t);
                    }
                }
            }
        }
    }

    private static byte[] mutate(byte[] base, Random r) {
        byte[] b = base.clone();
        switch (r.nextInt(4)) {
            case 0:
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1:
                for (int i = 0; i < 1 + r.nextInt(4); i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            case 2: {
                int at = r.nextInt(b.length);
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) r.nextInt(256);
                System.arraycopy(b, at, out, at + 1, b.length - at);
                return out;
            }
            default: {
                byte[] out = new byte[r.nextInt(64)];
                r.nextBytes(out);
                return out;
            }
        }
    }

    private static byte[] msgpackPublish(byte[] dataValue) {
        byte[] head = {(byte) 0x83, (byte) 0xa2, 'o', 'p', (byte) 0xa7, 'p', 'u', 'b', 'l', 'i', 's', 'h',
                (byte) 0xa7, 'c', 'h', 'a', 'n', 'n', 'e', 'l', (byte) 0xa1, 'c', (byte) 0xa4, 'd', 'a', 't', 'a'};
        return concat(head, dataValue);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
