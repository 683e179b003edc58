package dev.chorus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoding rules beyond the basic table in {@link CodecBadInputTest}: ids read from anywhere in
 * a faulty frame, UTF-8, exact depth limits, MessagePack-specific refusals, and server frames.
 */
class CodecStrictnessTest {
    private static final Codec JSON = Codec.forFormat(Format.JSON);
    private static final Codec MSGPACK = Codec.forFormat(Format.MSGPACK);

    private static ProtocolException error(Codec codec, byte[] frame) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decodeRequest(frame));
        assertThat(e).as("decoding %s must fail", Arrays.toString(frame)).isNotNull();
        return e;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> idAfterTheFault() {
        return Stream.of(
                Arguments.of("{\"op\":\"history\",\"channel\":\"c\",\"limit\":\"ten\",\"id\":21}", "field 'limit' must be an integer"),
                Arguments.of("{\"channel\":5,\"op\":\"subscribe\",\"id\":22}", "field 'channel' must be a string"),
                Arguments.of("{\"op\":\"publish\",\"channel\":\"c\",\"data\":{\"a\":1,\"a\":2},\"id\":23}", "uplicate"),
                Arguments.of("{\"since\":{\"offset\":\"x\",\"epoch\":\"e\"},\"op\":\"subscribe\",\"channel\":\"c\",\"id\":24}", "since.offset"),
                Arguments.of("{\"op\":\"subscribe\",\"joinLeave\":\"yes\",\"channel\":\"c\",\"id\":25}", "field 'joinLeave' must be a boolean"),
                Arguments.of("{\"op\":\"fly\",\"id\":26}", "unknown op 'fly'"),
                Arguments.of("{\"op\":\"history\",\"channel\":\"c\",\"limit\":-2,\"id\":27}", "field 'limit'"),
                Arguments.of("{\"op\":\"history\",\"channel\":\"c\",\"limit\":1e3,\"id\":28}", "field 'limit'"));
    }

    @ParameterizedTest
    @MethodSource("idAfterTheFault")
    void theIdIsReportedEvenWhenItComesAfterTheFault(String frame, String fragment) {
        ProtocolException e = error(JSON, utf8(frame));
        assertThat(e.getMessage()).contains(fragment);
        long id = Long.parseLong(frame.replaceAll(".*\"id\":(\\d+).*", "$1"));
        assertThat(e.requestId()).isEqualTo(id);
        assertThat(e.code()).isEqualTo(frame.contains("fly") ? ErrorCode.UNKNOWN_OPERATION : ErrorCode.BAD_REQUEST);
    }

    @Test
    void msgpackIdIsReportedEvenWhenItComesAfterTheFault() {
        byte[] frame = MsgpackFrames.frame(p -> {
            p.packMapHeader(4);
            p.packString("op").packString("history");
            p.packString("channel").packString("c");
            p.packString("limit").packString("ten");
            p.packString("id").packLong(31);
        });
        ProtocolException e = error(MSGPACK, frame);
        assertThat(e.getMessage()).contains("field 'limit' must be an integer");
        assertThat(e.requestId()).isEqualTo(31);
    }

    @Test
    void invalidUtf8IsRefusedInJsonEvenInIgnoredFields() {
        byte[][] frames = {
                {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xff, '"', '}'},
                // overlong encoding of '/'
                {'{', '"', 'o', 'p', '"', ':', '"', 'p', 'i', 'n', 'g', '"', ',', '"', 'x', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'},
                // a lone surrogate (U+D800) in an unknown field
                {'{', '"', 'o', 'p', '"', ':', '"', 'p', 'i', 'n', 'g', '"', ',', '"', 'x', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'},
                // truncated multi-byte sequence at the end
                {'{', '"', 'o', 'p', '"', ':', '"', 'p', 'i', 'n', 'g', '"', '}', (byte) 0xe2, (byte) 0x82},
        };
        for (byte[] f : frames) {
            ProtocolException e = error(JSON, f);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).contains("invalid UTF-8");
        }
    }

    @Test
    void validMultiByteTextIsAccepted() throws Exception {
        Request r = JSON.decodeRequest(utf8("{\"id\":1,\"op\":\"publish\",\"channel\":\"c\",\"data\":\"h\u00e9 \u20ac \uD83D\uDE00\"}"));
        assertThat(((Request.Publish) r).data()).isEqualTo(Payload.ofJson("\"h\u00e9 \u20ac \uD83D\uDE00\""));
    }

    @Test
    void invalidUtf8IsRefusedInMsgpackStrings() {
        byte[] badValue = MsgpackFrames.publish(4, p -> {
            p.packRawStringHeader(2);
            p.writePayload(new byte[] {(byte) 0xff, (byte) 0xfe});
        });
        assertThat(error(MSGPACK, badValue).getMessage()).contains("invalid UTF-8");
        byte[] badKey = MsgpackFrames.frame(p -> {
            p.packMapHeader(2);
            p.packString("op").packString("ping");
            p.packRawStringHeader(1);
            p.writePayload(new byte[] {(byte) 0x80});
            p.packInt(1);
        });
        assertThat(error(MSGPACK, badKey).getMessage()).contains("invalid UTF-8");
    }

    /** Total depth counts the frame's own object as level 1: data may add 63 levels. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void nestingUpToTheLimitIsAcceptedAndOneMoreIsRefused(Format format) throws Exception {
        Codec codec = Codec.forFormat(format);
        Payload ok = Payload.ofJson("[".repeat(Codec.MAX_DEPTH - 1) + "]".repeat(Codec.MAX_DEPTH - 1));
        Payload deep = Payload.ofJson("[".repeat(Codec.MAX_DEPTH) + "]".repeat(Codec.MAX_DEPTH));
        Request accepted = codec.decodeRequest(codec.encodeRequest(new Request.Publish(1, "c", ok, null)));
        assertThat(((Request.Publish) accepted).data()).isEqualTo(ok);
        ProtocolException e = error(codec, codec.encodeRequest(new Request.Publish(2, "c", deep, null)));
        assertThat(e.getMessage()).contains("nested deeper than " + Codec.MAX_DEPTH);
        // deep nesting in an ignored field is refused too
        ProtocolException unknown = error(codec, withExtraField(format, deep));
        assertThat(unknown.getMessage()).contains("nested deeper than " + Codec.MAX_DEPTH);
    }

    private static byte[] withExtraField(Format format, Payload value) {
        if (format == Format.JSON) {
            return utf8("{\"id\":5,\"op\":\"ping\",\"extra\":" + value.jsonString() + "}");
        }
        return MsgpackFrames.frame(p -> {
            p.packMapHeader(3);
            p.packString("id").packLong(5);
            p.packString("op").packString("ping");
            p.packString("extra");
            p.writePayload(value.msgpack());
        });
    }

    static Stream<Arguments> badMsgpack() {
        return Stream.of(
                Arguments.of("empty", new byte[0], "empty frame", 0L),
                Arguments.of("array frame", MsgpackFrames.frame(p -> p.packArrayHeader(0)), "must be a MessagePack map", 0L),
                Arguments.of("string frame", MsgpackFrames.frame(p -> p.packString("op")), "must be a MessagePack map", 0L),
                Arguments.of("integer key", MsgpackFrames.frame(p -> {
                    p.packMapHeader(2);
                    p.packString("op").packString("ping");
                    p.packInt(1).packInt(2);
                }), "map keys must be strings", 0L),
                Arguments.of("binary key", MsgpackFrames.frame(p -> {
                    p.packMapHeader(1);
                    p.packBinaryHeader(2).writePayload(new byte[] {'o', 'p'});
                    p.packString("ping");
                }), "map keys must be strings", 0L),
                Arguments.of("duplicate top-level key", MsgpackFrames.frame(p -> {
                    p.packMapHeader(3);
                    p.packString("id").packLong(6);
                    p.packString("op").packString("ping");
                    p.packString("op").packString("connect");
                }), "uplicate", 6L),
                Arguments.of("duplicate key in data", MsgpackFrames.publish(7, p -> {
                    p.packMapHeader(2);
                    p.packString("a").packInt(1);
                    p.packString("a").packInt(2);
                }), "uplicate", 7L),
                Arguments.of("ext in data", MsgpackFrames.publish(8, p -> p.packExtensionTypeHeader((byte) 1, 1).writePayload(new byte[] {0})), "extension", 8L),
                Arguments.of("timestamp ext", MsgpackFrames.publish(9, p -> p.packTimestamp(1_700_000_000L)), "extension", 9L),
                Arguments.of("ext in ignored field", MsgpackFrames.frame(p -> {
                    p.packMapHeader(3);
                    p.packString("id").packLong(10);
                    p.packString("op").packString("ping");
                    p.packString("x").packExtensionTypeHeader((byte) 5, 2).writePayload(new byte[] {1, 2});
                }), "extension", 10L),
                Arguments.of("NaN float64", MsgpackFrames.publish(11, p -> p.packDouble(Double.NaN)), "non-finite", 11L),
                Arguments.of("infinite float32", MsgpackFrames.publish(12, p -> p.packFloat(Float.NEGATIVE_INFINITY)), "non-finite", 12L),
                Arguments.of("NaN in ignored field", MsgpackFrames.frame(p -> {
                    p.packMapHeader(3);
                    p.packString("op").packString("ping");
                    p.packString("x").packDouble(Double.POSITIVE_INFINITY);
                    p.packString("id").packLong(13);
                }), "non-finite", 13L),
                Arguments.of("trailing value", MsgpackFrames.concat(MsgpackFrames.frame(p -> {
                    p.packMapHeader(2);
                    p.packString("id").packLong(14);
                    p.packString("op").packString("ping");
                }), new byte[] {(byte) 0xc0}), "trailing", 14L),
                Arguments.of("truncated", Arrays.copyOf(MsgpackFrames.publish(15, p -> p.packString("hello")), 20), "but the frame has only", 0L),
                Arguments.of("never-used byte", MsgpackFrames.publish(16, p -> p.writePayload(new byte[] {(byte) 0xc1})), "0xc1", 0L),
                Arguments.of("bin32 claims 4 GiB", MsgpackFrames.publish(17, p -> p.writePayload(new byte[] {(byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1})), "declares", 0L),
                Arguments.of("ext32 claims 4 GiB", MsgpackFrames.publish(18, p -> p.writePayload(new byte[] {(byte) 0xc9, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1})), "declares", 0L),
                Arguments.of("map16 claims 65535 pairs", MsgpackFrames.publish(19, p -> p.writePayload(new byte[] {(byte) 0xde, (byte) 0xff, (byte) 0xff, (byte) 0xa1, 'a', 1})), "declares", 0L),
                Arguments.of("wrong type for id", MsgpackFrames.frame(p -> {
                    p.packMapHeader(2);
                    p.packString("id").packString("1");
                    p.packString("op").packString("ping");
                }), "field 'id'", 0L),
                Arguments.of("id above 2^53-1", MsgpackFrames.frame(p -> {
                    p.packMapHeader(2);
                    p.packString("id").packLong(1L << 53);
                    p.packString("op").packString("ping");
                }), "field 'id'", 0L),
                Arguments.of("uint64 id", MsgpackFrames.frame(p -> {
                    p.packMapHeader(2);
                    p.packString("id").packBigInteger(new java.math.BigInteger("18446744073709551615"));
                    p.packString("op").packString("ping");
                }), "field 'id'", 0L),
                Arguments.of("missing data", MsgpackFrames.frame(p -> {
                    p.packMapHeader(3);
                    p.packString("id").packLong(20);
                    p.packString("op").packString("publish");
                    p.packString("channel").packString("c");
                }), "missing field 'data'", 20L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMsgpack")
    void malformedMsgpack(String name, byte[] frame, String fragment, long id) {
        ProtocolException e = error(MSGPACK, frame);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains(fragment);
        assertThat(e.requestId()).isEqualTo(id);
    }

    @Test
    void jsonNonFiniteAndOverflowingNumbersAreRefused() {
        for (String data : new String[] {"NaN", "Infinity", "-Infinity", "1e400"}) {
            ProtocolException e = error(JSON, utf8("{\"id\":40,\"op\":\"publish\",\"channel\":\"c\",\"data\":" + data + "}"));
            assertThat(e.code()).as(data).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.requestId()).as(data).isEqualTo(40);
        }
    }

    @Test
    void integersMessagePackCannotCarryAreRefused() throws Exception {
        ProtocolException e = error(JSON, utf8("{\"id\":41,\"op\":\"publish\",\"channel\":\"c\",\"data\":[18446744073709551616]}"));
        assertThat(e.getMessage()).contains("outside -2^63..2^64-1");
        assertThat(e.requestId()).isEqualTo(41);
        assertThat(error(JSON, utf8("{\"op\":\"publish\",\"channel\":\"c\",\"data\":-9223372036854775809}")).getMessage())
                .contains("outside");
        // the edges are fine, and reach MessagePack clients
        Request r = JSON.decodeRequest(utf8("{\"op\":\"publish\",\"channel\":\"c\",\"data\":[18446744073709551615,-9223372036854775808]}"));
        Payload data = ((Request.Publish) r).data();
        Push push = new Push.Pub("c", new Publication(1, "e", 1, data, null));
        byte[] bytes = MSGPACK.encodePush(push);
        assertThat(MSGPACK.decodeServerFrame(bytes, 0, bytes.length).push()).isEqualTo(push);
    }

    @Test
    void nullDataIsAllowedButMustBePresent() throws Exception {
        Request r = JSON.decodeRequest(utf8("{\"id\":1,\"op\":\"publish\",\"channel\":\"c\",\"data\":null}"));
        assertThat(((Request.Publish) r).data()).isEqualTo(Payload.NULL);
        assertThat(error(JSON, utf8("{\"id\":1,\"op\":\"presence_update\",\"channel\":\"c\"}")).getMessage())
                .contains("missing field 'state'");
        assertThat(error(JSON, utf8("{\"id\":1,\"op\":\"signal\",\"channel\":\"c\",\"key\":\"k\"}")).getMessage())
                .contains("missing field 'data'");
        assertThat(error(JSON, utf8("{\"id\":1,\"op\":\"rpc\"}")).getMessage()).contains("missing field 'method'");
        assertThat(error(JSON, utf8("{\"id\":1,\"op\":\"unsubscribe\"}")).getMessage()).contains("missing field 'channel'");
    }

    @Test
    void defaultsAndIgnoredFields() throws Exception {
        assertThat(JSON.decodeRequest(utf8("{\"op\":\"signal\",\"channel\":\"c\",\"data\":1,\"future\":{\"x\":[1,2]}}")))
                .isEqualTo(new Request.Signal(0, "c", "", Payload.ofJson("1")));
        assertThat(JSON.decodeRequest(utf8("{\"id\":3,\"op\":\"history\",\"channel\":\"c\"}")))
                .isEqualTo(new Request.History(3, "c", null, -1, false));
        assertThat(JSON.decodeRequest(utf8("{\"id\":4,\"op\":\"rpc\",\"method\":\"m\"}")))
                .isEqualTo(new Request.Rpc(4, "m", Payload.NULL));
        assertThat(JSON.decodeRequest(utf8(" \n{\"op\":\"pong\"}\n "))).isEqualTo(new Request.Pong());
    }

    @Test
    void jsonPayloadIsStoredCanonically() throws Exception {
        Request r = JSON.decodeRequest(utf8("{\"id\":1,\"op\":\"publish\",\"channel\":\"c\",\"data\": { \"t\" : \"\\u00e9\\n\" , \"n\" : 1.50e1 , \"l\" : [ 1 , -0 ] } }"));
        assertThat(((Request.Publish) r).data().jsonString()).isEqualTo("{\"t\":\"\u00e9\\n\",\"n\":15.0,\"l\":[1,0]}");
    }

    @Test
    void decodingHonoursOffsetAndLength() throws Exception {
        byte[] inner = utf8("{\"id\":2,\"op\":\"ping\"}");
        byte[] framed = MsgpackFrames.concat(MsgpackFrames.concat(utf8("xx"), inner), utf8("yy"));
        assertThat(JSON.decodeRequest(framed, 2, inner.length)).isEqualTo(new Request.Ping(2));
        byte[] mp = MSGPACK.encodeRequest(new Request.Ping(3));
        byte[] mpFramed = MsgpackFrames.concat(MsgpackFrames.concat(new byte[] {(byte) 0xc1}, mp), new byte[] {(byte) 0xc1});
        assertThat(MSGPACK.decodeRequest(mpFramed, 1, mp.length)).isEqualTo(new Request.Ping(3));
    }

    static Stream<Arguments> badServerFrames() {
        return Stream.of(
                Arguments.of("[1]", "must be an object"),
                Arguments.of("{\"id\":1}", "needs 'push', 'result' or 'error'"),
                Arguments.of("{\"push\":\"pub\",\"channel\":\"c\"}", "missing field 'pub'"),
                Arguments.of("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"data\":1}}", "missing field 'pub.time'"),
                Arguments.of("{\"push\":\"join\",\"channel\":\"c\",\"info\":{\"client\":1,\"user\":\"u\"}}", "field 'info.client' must be a string"),
                Arguments.of("{\"push\":\"unsub\",\"channel\":\"c\",\"code\":\"x\"}", "field 'code' must be an integer"),
                Arguments.of("{\"push\":\"warp\"}", "unknown push 'warp'"),
                Arguments.of("{\"id\":1,\"error\":{\"code\":107}}", "missing field 'error.message'"),
                Arguments.of("{\"id\":\"1\",\"result\":{}}", "field 'id' must be an integer"),
                Arguments.of("{\"push\":\"ping\"} x", "trailing"));
    }

    @ParameterizedTest
    @MethodSource("badServerFrames")
    void malformedServerFrames(String frame, String fragment) {
        byte[] bytes = utf8(frame);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> JSON.decodeServerFrame(bytes, 0, bytes.length));
        assertThat(e).as(frame).isNotNull();
        assertThat(e.getMessage()).contains(fragment);
    }
}
