package dev.chorus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecRoundTripTest {
    private static final Payload DATA = Payload.ofJson("{\"text\":\"hé\",\"n\":-1.25,\"list\":[1,null,true,{\"x\":\"y\"}],\"big\":12345678901234}");
    private static final ClientInfo WHO = new ClientInfo("c1", "u1", Payload.ofJson("{\"role\":\"r\"}"), Payload.ofJson("{\"x\":1}"), 7);

    static List<Request> requests() {
        StreamPosition since = new StreamPosition(41, "k3x9");
        return List.of(
                new Request.Connect(1, "tok", "web", "1.0"),
                new Request.Connect(2, null, null, null),
                new Request.Subscribe(3, "chat:lobby", since, true, true),
                new Request.Subscribe(4, "plain", null, false, false),
                new Request.Subscribe(5, "private:room", null, false, false, "sub-token"),
                new Request.Refresh(6, "fresh-token"),
                new Request.DocOpen(7, "notes", true),
                new Request.DocOpen(8, "notes", false),
                new Request.Doc(9, "notes", new byte[] {0, 0, 1, 0}),
                new Request.Doc(0, "notes", new byte[] {1, 2}),
                new Request.DocClose(10, "notes"),
                new Request.Unsubscribe(5, "chat:lobby"),
                new Request.Publish(6, "chat:lobby", DATA, "m-17"),
                new Request.Publish(0, "chat:lobby", Payload.NULL, null),
                new Request.History(7, "chat:lobby", since, 10, true),
                new Request.History(8, "chat:lobby", null, -1, false),
                new Request.Presence(9, "c"),
                new Request.PresenceStats(10, "c"),
                new Request.PresenceUpdate(11, "c", DATA),
                new Request.Signal(12, "c", "cursor", Payload.ofJson("{\"x\":3,\"y\":4}")),
                new Request.Rpc(13, "sum", DATA),
                new Request.Ping(14),
                new Request.Pong());
    }

    static List<Push> pushes() {
        Publication pub = new Publication(6, "k3x9", 1_700_000_000_000L, DATA, WHO.identity());
        return List.of(
                new Push.Pub("chat:lobby", pub),
                new Push.Pub("x", new Publication(0, "", 5, Payload.ofJson("1"), null)),
                new Push.Join("c", WHO.identity()),
                new Push.Leave("c", WHO.identity()),
                new Push.PresenceChange("c", WHO),
                new Push.Signal("c", "cursor", Payload.ofJson("[1,2]"), WHO.identity()),
                new Push.Unsubscribed("c", 4100, "go away", true),
                Push.Ping.INSTANCE,
                new Push.Error(new ErrorInfo(107, "bad")),
                new Push.Doc("notes", new byte[] {0, 1, 5, -1, 127}));
    }

    static List<Reply> replies() {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("maxFrameSize", 65536L);
        limits.put("maxSubscriptions", 128L);
        Publication pub = new Publication(5, "e", 1, DATA, WHO.identity());
        return List.of(
                Reply.ok(1, Result.Empty.INSTANCE),
                Reply.ok(2, new Result.Connect("c1", "", 10, 30, "n1", "0.1.0", limits, null)),
                Reply.ok(3, new Result.Connect("c1", "u", 10, 30, "n1", "0.1.0", Map.of(), DATA)),
                Reply.ok(4, new Result.Connect("c1", "u", 10, 30, "n1", "0.1.0", Map.of(), null, 3600)),
                Reply.ok(4, new Result.Subscribe(new StreamPosition(5, "e"), true, true, List.of(pub), Map.of("c1", WHO))),
                Reply.ok(5, new Result.Subscribe(new StreamPosition(0, ""), false, false, List.of(), null)),
                Reply.ok(6, new Result.Publish(new StreamPosition(6, "e"))),
                Reply.ok(7, new Result.History(new StreamPosition(6, "e"), List.of(pub, pub))),
                Reply.ok(8, new Result.Presence(Map.of("c1", WHO))),
                Reply.ok(9, new Result.PresenceStats(3, 2)),
                Reply.ok(10, new Result.PresenceUpdate(4)),
                Reply.ok(11, new Result.Rpc(DATA)),
                Reply.ok(12, new Result.Raw(Payload.ofJson("{\"anything\":[1,2]}"))),
                Reply.error(13, ErrorCode.PERMISSION_DENIED, "nope"),
                Reply.error(14, ErrorCode.INTERNAL, null));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyRequestRoundTrips(Format format) throws Exception {
        Codec codec = Codec.forFormat(format);
        for (Request r : requests()) {
            byte[] bytes = codec.encodeRequest(r);
            Request back = codec.decodeRequest(bytes);
            if (r instanceof Request.Rpc rpc && rpc.data() == null) {
                continue;
            }
            assertThat(back).as("%s in %s", r.op(), format).isEqualTo(r);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyPushRoundTrips(Format format) throws Exception {
        Codec codec = Codec.forFormat(format);
        for (Push p : pushes()) {
            byte[] bytes = codec.encodePush(p);
            ServerFrame f = codec.decodeServerFrame(bytes, 0, bytes.length);
            assertThat(f.push()).as("%s in %s", p.type(), format).isEqualTo(p);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void repliesRoundTripAsRawResults(Format format) throws Exception {
        Codec codec = Codec.forFormat(format);
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("maxFrameSize", 65536L);
        List<Result> results = List.of(
                Result.Empty.INSTANCE,
                new Result.Connect("c1", "", 10, 30, "n1", "0.1.0", limits, null),
                new Result.Connect("c1", "u", 10, 30, "n1", "0.1.0", limits, null, 3600),
                new Result.Refresh(1800),
                new Result.Refresh(0),
                new Result.Subscribe(new StreamPosition(5, "e"), true, true,
                        List.of(new Publication(5, "e", 1, DATA, null)), Map.of("c1", WHO)),
                new Result.Publish(new StreamPosition(6, "e")),
                new Result.History(new StreamPosition(6, "e"), List.of()),
                new Result.Presence(Map.of("c1", WHO)),
                new Result.PresenceStats(3, 2),
                new Result.PresenceUpdate(4),
                new Result.Rpc(DATA));
        Codec json = Codec.forFormat(Format.JSON);
        for (Result r : results) {
            byte[] bytes = codec.encodeReply(Reply.ok(9, r));
            Reply back = codec.decodeServerFrame(bytes, 0, bytes.length).reply();
            assertThat(back.id()).isEqualTo(9);
            assertThat(back.error()).isNull();
            // the same result in JSON is what the raw value holds, whatever the format
            byte[] asJson = json.encodeReply(Reply.ok(9, r));
            Payload expected = Payload.ofJson(asJson).tree().get("result") == null ? null : Payload.of(Payload.ofJson(asJson).tree().get("result"));
            assertThat(((Result.Raw) back.result()).value()).as("%s in %s", r, format).isEqualTo(expected);
        }
        byte[] err = codec.encodeReply(Reply.error(3, ErrorCode.PERMISSION_DENIED, "nope"));
        Reply e = codec.decodeServerFrame(err, 0, err.length).reply();
        assertThat(e.error()).isEqualTo(new ErrorInfo(103, "nope"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void wireShapeOfAPublication(Format format) throws Exception {
        byte[] json = Codec.forFormat(Format.JSON).encodePush(pushes().get(0));
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
                "{\"push\":\"pub\",\"channel\":\"chat:lobby\",\"pub\":{\"offset\":6,\"epoch\":\"k3x9\",\"time\":1700000000000,"
                        + "\"data\":" + DATA.jsonString() + ",\"info\":{\"client\":\"c1\",\"user\":\"u1\",\"connInfo\":{\"role\":\"r\"}}}}");
    }

    @org.junit.jupiter.api.Test
    void jsonAndMsgpackPublishersYieldEqualPayloads() throws Exception {
        Request.Publish r = new Request.Publish(1, "c", DATA, null);
        Request viaJson = Codec.forFormat(Format.JSON).decodeRequest(Codec.forFormat(Format.JSON).encodeRequest(r));
        Request viaMsgpack = Codec.forFormat(Format.MSGPACK).decodeRequest(Codec.forFormat(Format.MSGPACK).encodeRequest(r));
        assertThat(((Request.Publish) viaJson).data()).isEqualTo(((Request.Publish) viaMsgpack).data()).isEqualTo(DATA);
    }
}
