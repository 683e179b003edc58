package dev.chorus.e2e;

import static dev.chorus.e2e.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile and malformed input gets clear errors, changes nothing and disturbs no other client. */
class BadInputTest {

    private static ChorusConfig config() {
        return ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().maxFrameSize(4096).hardFrameSize(64 * 1024).maxViolations(50).build())
                .build();
    }

    private static int errorCode(Push p) {
        return ((Push.Error) p).error().code();
    }

    @Test
    void malformedFramesGetErrorsAndOthersKeepReceiving() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient bystander = server.client(Format.MSGPACK);
            bystander.subscribe("news");
            TestClient json = server.client();
            TestClient msgpack = server.client(Format.MSGPACK);

            json.sendRaw("{not json");
            assertThat(errorCode(Frames.next(json, Push.Error.class))).isEqualTo(ErrorCode.BAD_REQUEST.code());
            json.sendRaw("[1,2,3]");
            assertThat(errorCode(Frames.next(json, Push.Error.class))).isEqualTo(ErrorCode.BAD_REQUEST.code());
            json.sendRaw("{\"id\":7,\"op\":\"fly\"}");
            Reply unknown = json.awaitReply(7, Frames.WAIT);
            assertThat(unknown.error().code()).isEqualTo(ErrorCode.UNKNOWN_OPERATION.code());
            json.sendRaw("{\"id\":8,\"op\":\"publish\",\"channel\":\"news\"}");
            Reply missing = json.awaitReply(8, Frames.WAIT);
            assertThat(missing.error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
            assertThat(missing.error().message()).contains("data");

            msgpack.sendRaw(new byte[] {(byte) 0xc1, 0x00, 0x13});
            assertThat(errorCode(Frames.next(msgpack, Push.Error.class))).isEqualTo(ErrorCode.BAD_REQUEST.code());
            // a map header announcing 2^32-1 entries in a 5-byte frame
            msgpack.sendRaw(new byte[] {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(errorCode(Frames.next(msgpack, Push.Error.class))).isEqualTo(ErrorCode.BAD_REQUEST.code());
            // a text frame on a MessagePack connection
            msgpack.sendRaw("{\"id\":1,\"op\":\"ping\"}");
            assertThat(errorCode(Frames.next(msgpack, Push.Error.class))).isEqualTo(ErrorCode.BAD_REQUEST.code());

            // oversized: over maxFrameSize but under the hard limit -> error, connection stays
            String big = "{\"id\":9,\"op\":\"publish\",\"channel\":\"news\",\"data\":\"" + "x".repeat(10_000) + "\"}";
            json.sendRaw(big);
            assertThat(errorCode(Frames.next(json, Push.Error.class))).isEqualTo(ErrorCode.TOO_LARGE.code());

            for (String bad : List.of("", "a b", "ünïcode", ":leading", "x".repeat(300), "semi;colon")) {
                Reply r = json.request(new Request.Subscribe(0, bad, null, false, false));
                assertThat(r.error()).as("channel '%s'", bad).isNotNull();
                assertThat(r.error().code()).isEqualTo(ErrorCode.BAD_CHANNEL.code());
            }

            // none of that was published, and both offenders still work
            assertThat(publish(json, "news", "{\"ok\":1}").error()).isNull();
            assertThat(msgpack.request(new Request.Publish(0, "news", Frames.json("{\"ok\":2}"), null)).error()).isNull();
            List<Push.Pub> got = Frames.pubs(bystander, "news", 2);
            assertThat(got).extracting(p -> p.pub().data().tree().fields().next().getValue().asInt()).containsExactly(1, 2);
            assertThat(got.get(0).pub().offset()).isEqualTo(1);
        }
    }

    @Test
    void overTheHardLimitClosesWith1009AndOthersAreUnaffected() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient bystander = server.client();
            bystander.subscribe("news");
            TestClient attacker = server.client();
            attacker.sendRaw("{\"data\":\"" + "y".repeat(100_000) + "\"}");
            assertThat(attacker.awaitClose(Frames.WAIT).code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
            TestClient publisher = server.client();
            assertThat(publish(publisher, "news", "{\"still\":\"here\"}").error()).isNull();
            assertThat(Frames.pubs(bystander, "news", 1)).hasSize(1);
        }
    }

    @Test
    void repeatedViolationsCloseTheConnection() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().maxViolations(5).build()).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient offender = server.client();
            for (int i = 0; i < 5; i++) {
                offender.sendRaw("garbage " + i);
            }
            assertThat(offender.awaitClose(Frames.WAIT).code()).isEqualTo(CloseCode.PROTOCOL_VIOLATION.code());
            TestClient fine = server.client();
            assertThat(fine.request(new Request.Ping(0)).error()).isNull();
        }
    }

    @Test
    void requestsBeforeConnectAreRefused() {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient raw = server.rawClient(Format.JSON);
            Reply r = raw.request(new Request.Subscribe(0, "news", null, false, false));
            assertThat(r.error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());
            raw.sendRaw("{\"id\":99,\"op\":\"connect\"}");
            assertThat(raw.awaitReply(99, Frames.WAIT).error()).isNull();
            assertThat(raw.request(new Request.Connect(0, null, null, null)).error().code()).isEqualTo(ErrorCode.ALREADY_CONNECTED.code());
        }
    }

    @Test
    void connectWithoutAnyAuthenticationConfiguredIsRefusedAndClosed() {
        ChorusConfig config = ChorusConfig.builder().host("127.0.0.1").port(0).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient raw = server.rawClient(Format.JSON);
            Reply r = raw.request(new Request.Connect(0, "some-token", "test", "1"));
            assertThat(r.error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());
            assertThat(raw.awaitClose(Frames.WAIT).code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
        }
    }

    @Test
    void whereAnonymousAccessIsAllowedATokenNobodyCanCheckGrantsNothingButIsNoError() {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient raw = server.rawClient(Format.JSON);
            Reply r = raw.request(new Request.Connect(0, "some-token", "test", "1"));
            assertThat(r.error()).isNull();
            assertThat(Frames.result(r).get("user").asText()).isEmpty();
        }
    }

    @Test
    void clientThatNeverConnectsIsClosed() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder().connectTimeout(Duration.ofMillis(300)).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient raw = server.rawClient(Format.JSON);
            assertThat(raw.awaitClose(Frames.WAIT).code()).isEqualTo(CloseCode.CONNECT_TIMEOUT.code());
        }
    }
}
