package dev.chorus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random JSON values survive every frame that carries them, identically in both formats. */
class PayloadPropertyTest {
    private static final Codec JSON = Codec.forFormat(Format.JSON);
    private static final Codec MSGPACK = Codec.forFormat(Format.MSGPACK);

    @Provide
    Arbitrary<Object> values() {
        return value(4);
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text().map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.integers().between(-1000, 1000).map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> list = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(text(), Arbitraries.lazy(() -> value(depth - 1))).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar),
                net.jqwik.api.Tuple.of(1, list),
                net.jqwik.api.Tuple.of(1, map));
    }

    private Arbitrary<String> text() {
        Arbitrary<String> plain = Arbitraries.strings()
                .withCharRange(' ', '~').withCharRange('\u0000', '\u001f').withCharRange('\u00a0', '\u07ff')
                .withCharRange('\u4e00', '\u4e40').ofMaxLength(12);
        Arbitrary<String> astral = Arbitraries.of("\uD83D\uDE00", "\uD834\uDD1E", "a\uD83C\uDF89b");
        return Arbitraries.oneOf(plain, plain, astral);
    }

    @Property(tries = 300)
    void publishedDataRoundTripsInBothFormatsAndFormatsAgree(@ForAll("values") Object value) throws Exception {
        Payload data = Payload.ofValue(value);
        Request viaJson = JSON.decodeRequest(JSON.encodeRequest(new Request.Publish(1, "c", data, "k")));
        Request viaMsgpack = MSGPACK.decodeRequest(MSGPACK.encodeRequest(new Request.Publish(1, "c", data, "k")));
        assertThat(viaJson).isEqualTo(new Request.Publish(1, "c", data, "k"));
        assertThat(viaMsgpack).isEqualTo(viaJson);
        // what the streaming decoder keeps is the canonical text Payload itself produces
        assertThat(((Request.Publish) viaMsgpack).data().jsonString()).isEqualTo(Payload.ofJson(data.jsonString()).jsonString());
    }

    @Property(tries = 200)
    void pushedDataRoundTripsInBothFormats(@ForAll("values") Object value, @ForAll("values") Object state) throws Exception {
        Payload data = Payload.ofValue(value);
        ClientInfo who = new ClientInfo("c1", "u", null, Payload.ofValue(state), 2);
        List<Push> pushes = List.of(
                new Push.Pub("c", new Publication(3, "e", 4, data, who.identity())),
                new Push.Signal("c", "k", data, who.identity()),
                new Push.PresenceChange("c", who));
        for (Codec codec : List.of(JSON, MSGPACK)) {
            for (Push p : pushes) {
                byte[] bytes = codec.encodePush(p);
                assertThat(codec.decodeServerFrame(bytes, 0, bytes.length).push()).isEqualTo(p);
            }
        }
    }

    @Property(tries = 200)
    void handWrittenJsonWithWhitespaceDecodesToTheCanonicalPayload(@ForAll("values") Object value) throws Exception {
        String pretty = Payload.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        byte[] frame = ("{ \"op\" : \"publish\",\n \"data\" : " + pretty + " ,\"channel\":\"c\" }").getBytes(StandardCharsets.UTF_8);
        Request r = JSON.decodeRequest(frame);
        assertThat(((Request.Publish) r).data()).isEqualTo(Payload.ofValue(value));
    }

    @Property(tries = 100)
    void rawResultsMatchAcrossFormats(@ForAll("values") Object value) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", value);
        Reply reply = Reply.ok(7, new Result.Raw(Payload.ofValue(result)));
        byte[] j = JSON.encodeReply(reply);
        byte[] m = MSGPACK.encodeReply(reply);
        assertThat(MSGPACK.decodeServerFrame(m, 0, m.length)).isEqualTo(JSON.decodeServerFrame(j, 0, j.length));
    }
}
