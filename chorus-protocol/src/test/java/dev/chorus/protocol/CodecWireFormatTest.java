package dev.chorus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The exact JSON text of frames (as documented in {@code docs/protocol.md}), MessagePack carrying
 * the very same maps, and encode(decode(bytes)) giving back the same bytes for every frame kind.
 */
class CodecWireFormatTest {
    private static final Codec JSON = Codec.forFormat(Format.JSON);
    private static final Codec MSGPACK = Codec.forFormat(Format.MSGPACK);
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final ObjectMapper MSGPACK_MAPPER = new ObjectMapper(new MessagePackFactory());

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void requestsFromTheDocumentationDecodeAndEncodeBackToTheSameText() throws Exception {
        String[] frames = {
                "{\"id\":1,\"op\":\"connect\",\"name\":\"web\",\"version\":\"1.0\"}",
                "{\"id\":2,\"op\":\"subscribe\",\"channel\":\"chat:lobby\",\"since\":{\"offset\":41,\"epoch\":\"k3x9\"},\"joinLeave\":true}",
                "{\"id\":3,\"op\":\"publish\",\"channel\":\"chat:lobby\",\"data\":{\"text\":\"hi\"},\"key\":\"m-17\"}",
                "{\"op\":\"pong\"}",
                "{\"id\":5,\"op\":\"unsubscribe\",\"channel\":\"chat:lobby\"}",
                "{\"id\":6,\"op\":\"history\",\"channel\":\"c\",\"since\":{\"offset\":0,\"epoch\":\"e\"},\"limit\":0,\"reverse\":true}",
                "{\"id\":7,\"op\":\"presence\",\"channel\":\"doc:1\"}",
                "{\"id\":8,\"op\":\"presence_stats\",\"channel\":\"doc:1\"}",
                "{\"id\":9,\"op\":\"presence_update\",\"channel\":\"doc:1\",\"state\":{\"cursor\":{\"x\":3,\"y\":9}}}",
                "{\"op\":\"signal\",\"channel\":\"doc:1\",\"key\":\"cursor\",\"data\":{\"x\":120,\"y\":48}}",
                "{\"id\":10,\"op\":\"rpc\",\"method\":\"sum\",\"data\":{\"a\":2,\"b\":40}}",
                "{\"id\":11,\"op\":\"ping\"}",
        };
        for (String f : frames) {
            Request r = JSON.decodeRequest(f.getBytes(StandardCharsets.UTF_8));
            assertThat(text(JSON.encodeRequest(r))).isEqualTo(f);
        }
    }

    @Test
    void repliesAndPushesHaveTheDocumentedShape() {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("maxFrameSize", 65536L);
        limits.put("maxSubscriptions", 128L);
        assertThat(text(JSON.encodeReply(Reply.ok(1, new Result.Connect("c1", "", 10, 30, "n1", "0.1.0", limits, null)))))
                .isEqualTo("{\"id\":1,\"result\":{\"client\":\"c1\",\"user\":\"\",\"ping\":10,\"timeout\":30,\"node\":\"n1\","
                        + "\"version\":\"0.1.0\",\"limits\":{\"maxFrameSize\":65536,\"maxSubscriptions\":128}}}");
        assertThat(text(JSON.encodeReply(Reply.ok(2, Result.Empty.INSTANCE)))).isEqualTo("{\"id\":2,\"result\":{}}");
        assertThat(text(JSON.encodeReply(Reply.error(3, ErrorCode.PERMISSION_DENIED, null))))
                .isEqualTo("{\"id\":3,\"error\":{\"code\":103,\"message\":\"permission denied\"}}");
        Publication pub = new Publication(6, "k3x9", 1_700_000_000_000L, Payload.ofJson("{\"text\":\"hi\"}"), ClientInfo.of("c1", "u1"));
        assertThat(text(JSON.encodeReply(Reply.ok(4, new Result.Subscribe(new StreamPosition(6, "k3x9"), true, true, List.of(pub), null)))))
                .isEqualTo("{\"id\":4,\"result\":{\"offset\":6,\"epoch\":\"k3x9\",\"recovered\":true,\"recovering\":true,\"publications\":["
                        + "{\"offset\":6,\"epoch\":\"k3x9\",\"time\":1700000000000,\"data\":{\"text\":\"hi\"},\"info\":{\"client\":\"c1\",\"user\":\"u1\"}}]}}");
        assertThat(text(JSON.encodeReply(Reply.ok(5, new Result.PresenceStats(3, 2))))).isEqualTo("{\"id\":5,\"result\":{\"clients\":3,\"users\":2}}");
        assertThat(text(JSON.encodeReply(Reply.ok(6, new Result.PresenceUpdate(4))))).isEqualTo("{\"id\":6,\"result\":{\"clock\":4}}");
        assertThat(text(JSON.encodeReply(Reply.ok(7, new Result.Rpc(Payload.ofJson("42")))))).isEqualTo("{\"id\":7,\"result\":{\"data\":42}}");
        assertThat(text(JSON.encodeReply(Reply.ok(8, new Result.Presence(Map.of("c1",
                new ClientInfo("c1", "u1", null, Payload.ofJson("{\"x\":1}"), 3)))))))
                .isEqualTo("{\"id\":8,\"result\":{\"clients\":{\"c1\":{\"client\":\"c1\",\"user\":\"u1\",\"state\":{\"x\":1},\"clock\":3}}}}");
        assertThat(text(JSON.encodePush(new Push.Unsubscribed("c", 4100, "go", true))))
                .isEqualTo("{\"push\":\"unsub\",\"channel\":\"c\",\"code\":4100,\"reason\":\"go\",\"resubscribe\":true}");
        assertThat(text(JSON.encodePush(Push.Ping.INSTANCE))).isEqualTo("{\"push\":\"ping\"}");
        assertThat(text(JSON.encodePush(new Push.Error(new ErrorInfo(107, "bad")))))
                .isEqualTo("{\"push\":\"error\",\"error\":{\"code\":107,\"message\":\"bad\"}}");
        assertThat(text(JSON.encodePush(new Push.Signal("c", "cursor", Payload.ofJson("[1,2]"), ClientInfo.of("c2", "")))))
                .isEqualTo("{\"push\":\"signal\",\"channel\":\"c\",\"key\":\"cursor\",\"data\":[1,2],\"info\":{\"client\":\"c2\",\"user\":\"\"}}");
    }

    private static List<byte[]> allFramesAsJson() {
        List<byte[]> out = new ArrayList<>();
        for (Request r : CodecRoundTripTest.requests()) {
            out.add(JSON.encodeRequest(r));
        }
        for (Push p : CodecRoundTripTest.pushes()) {
            out.add(JSON.encodePush(p));
        }
        for (Reply r : CodecRoundTripTest.replies()) {
            out.add(JSON.encodeReply(r));
        }
        return out;
    }

    /** The MessagePack form of every frame is the JSON form's map, value for value. */
    @Test
    void msgpackCarriesTheSameMapsAsJson() throws Exception {
        List<JsonNode> viaJson = new ArrayList<>();
        List<JsonNode> viaMsgpack = new ArrayList<>();
        for (Request r : CodecRoundTripTest.requests()) {
            viaJson.add(JSON_MAPPER.readTree(JSON.encodeRequest(r)));
            viaMsgpack.add(MSGPACK_MAPPER.readTree(MSGPACK.encodeRequest(r)));
        }
        for (Push p : CodecRoundTripTest.pushes()) {
            viaJson.add(JSON_MAPPER.readTree(JSON.encodePush(p)));
            viaMsgpack.add(MSGPACK_MAPPER.readTree(MSGPACK.encodePush(p)));
        }
        for (Reply r : CodecRoundTripTest.replies()) {
            viaJson.add(JSON_MAPPER.readTree(JSON.encodeReply(r)));
            viaMsgpack.add(MSGPACK_MAPPER.readTree(MSGPACK.encodeReply(r)));
        }
        assertThat(viaJson).hasSameSizeAs(viaMsgpack);
        for (int i = 0; i < viaJson.size(); i++) {
            // compare as canonical JSON text: numeric node classes may differ (int vs long)
            assertThat(Payload.of(viaMsgpack.get(i)).jsonString()).isEqualTo(Payload.of(viaJson.get(i)).jsonString());
        }
        assertThat(allFramesAsJson()).hasSize(viaJson.size());
    }

    /** encode(decode(bytes)) == bytes for every client and server frame in both formats. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void reencodingGivesTheSameBytes(Format format) throws Exception {
        Codec codec = Codec.forFormat(format);
        for (Request r : CodecRoundTripTest.requests()) {
            byte[] bytes = codec.encodeRequest(r);
            assertThat(codec.encodeRequest(codec.decodeRequest(bytes))).as("%s", r).isEqualTo(bytes);
        }
        for (Push p : CodecRoundTripTest.pushes()) {
            byte[] bytes = codec.encodePush(p);
            assertThat(codec.encodePush(codec.decodeServerFrame(bytes, 0, bytes.length).push())).as("%s", p).isEqualTo(bytes);
        }
        for (Reply r : CodecRoundTripTest.replies()) {
            byte[] bytes = codec.encodeReply(r);
            assertThat(codec.encodeReply(codec.decodeServerFrame(bytes, 0, bytes.length).reply())).as("%s", r).isEqualTo(bytes);
        }
    }

    @Test
    void largePayloadsAreCopiedWhole() throws Exception {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 5000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"s\":\"\u00e9\u00e9\"}");
        }
        Payload data = Payload.ofJson(big.append(']').toString());
        for (Format f : Format.values()) {
            Codec codec = Codec.forFormat(f);
            Push push = new Push.Pub("c", new Publication(1, "e", 2, data, null));
            byte[] bytes = codec.encodePush(push);
            assertThat(codec.decodeServerFrame(bytes, 0, bytes.length).push()).isEqualTo(push);
            Request r = codec.decodeRequest(codec.encodeRequest(new Request.Publish(1, "c", data, null)));
            assertThat(((Request.Publish) r).data()).isEqualTo(data);
        }
    }
}
