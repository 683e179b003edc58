package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chorus.protocol.Codec;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.Result;
import dev.chorus.protocol.StreamPosition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TestClient} against a scripted server: ids, reassembly, pongs, flow control, close. */
class TestClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Codec JSON = Codec.forFormat(Format.JSON);
    private static final Codec MSGPACK = Codec.forFormat(Format.MSGPACK);

    private MiniWebSocketServer server;
    private TestClient client;

    @BeforeEach
    void startServer() throws Exception {
        server = new MiniWebSocketServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private static Push pub(long offset, String json) {
        return new Push.Pub("c", new Publication(offset, "e", 1, Payload.ofJson(json), null));
    }

    @Test
    void requestsTheFormatsSubprotocol() throws Exception {
        client = TestClient.connect(server.uri(), Format.MSGPACK);
        assertThat(server.handshakeHeaders().get("sec-websocket-protocol")).isEqualTo("chorus.v1.msgpack");
        assertThat(client.subprotocol()).isEqualTo("chorus.v1.msgpack");
        assertThat(client.format()).isEqualTo(Format.MSGPACK);
    }

    @Test
    void withoutAFormatRequestsNoSubprotocolAndSpeaksJson() throws Exception {
        client = TestClient.connect(server.uri(), null);
        assertThat(server.handshakeHeaders()).doesNotContainKey("sec-websocket-protocol");
        assertThat(client.subprotocol()).isEmpty();
        assertThat(client.format()).isEqualTo(Format.JSON);
    }

    @Test
    void repliesAreMatchedByIdWhateverTheirOrder() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        CompletableFuture<Reply> first = client.send(new Request.Ping(0));
        CompletableFuture<Reply> second = client.send(new Request.Publish(0, "c", Payload.ofJson("1"), null));
        Request r1 = JSON.decodeRequest(server.next().data());
        Request r2 = JSON.decodeRequest(server.next().data());
        assertThat(r1.id()).isPositive();
        assertThat(r2.id()).isNotEqualTo(r1.id());
        assertThat(r2).isEqualTo(new Request.Publish(r2.id(), "c", Payload.ofJson("1"), null));
        server.sendText(new String(JSON.encodeReply(Reply.ok(r2.id(), new Result.Publish(new StreamPosition(7, "e")))), java.nio.charset.StandardCharsets.UTF_8), 1);
        server.sendText(new String(JSON.encodeReply(Reply.error(r1.id(), ErrorCode.BAD_REQUEST, "no")), java.nio.charset.StandardCharsets.UTF_8), 1);
        assertThat(second.get(10, TimeUnit.SECONDS).id()).isEqualTo(r2.id());
        assertThat(second.get().error()).isNull();
        assertThat(first.get(10, TimeUnit.SECONDS).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
    }

    @Test
    void aReplyToARawFrameWaitsUntilItIsClaimed() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        client.sendRaw("{\"id\":99,\"op\":\"ping\"}");
        assertThat(server.next().asText()).isEqualTo("{\"id\":99,\"op\":\"ping\"}");
        server.sendText("{\"id\":99,\"result\":{}}", 1);
        // the reply arrives before anyone waits for it
        server.sendText(new String(JSON.encodePush(pub(1, "1")), java.nio.charset.StandardCharsets.UTF_8), 1);
        client.nextPush(WAIT);
        assertThat(client.awaitReply(99, WAIT).id()).isEqualTo(99);
    }

    @Test
    void fragmentedTextMessagesAreReassembledEvenInsideACharacter() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        // 7 fragments cut at byte boundaries: some cuts fall inside the two-byte characters
        String frame = "{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":3,\"epoch\":\"e\",\"time\":1,\"data\":{\"t\":\"héllo wörld ééééé\"}}}";
        server.sendText(frame, 7);
        Push p = client.nextPush(WAIT);
        assertThat(((Push.Pub) p).pub().data()).isEqualTo(Payload.ofJson("{\"t\":\"héllo wörld ééééé\"}"));
        assertThat(client.undecodableFrames()).isEmpty();
    }

    @Test
    void fragmentedBinaryMessagesAreReassembled() throws Exception {
        client = TestClient.connect(server.uri(), Format.MSGPACK);
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 5000; i++) {
            big.append(i).append(',');
        }
        big.append("0]");
        server.sendBinary(MSGPACK.encodePush(pub(4, big.toString())), 5);
        Push p = client.nextPush(WAIT);
        assertThat(p).isEqualTo(pub(4, big.toString()));
    }

    @Test
    void pingsAreAnsweredWithPongUnlessTurnedOff() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        server.sendText("{\"push\":\"ping\"}", 1);
        assertThat(JSON.decodeRequest(server.next().data())).isInstanceOf(Request.Pong.class);
        assertThat(client.nextPush(WAIT)).isInstanceOf(Push.Ping.class);

        client.autoPong(false);
        server.sendText("{\"push\":\"ping\"}", 1);
        assertThat(client.nextPush(WAIT)).isInstanceOf(Push.Ping.class);
        client.send(new Request.Ping(0));
        assertThat(JSON.decodeRequest(server.next().data())).as("no pong went out before it").isInstanceOf(Request.Ping.class);
    }

    @Test
    void awaitPushTakesTheFirstMatchAndLeavesTheRest() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        for (int i = 1; i <= 3; i++) {
            server.sendText(new String(JSON.encodePush(pub(i, Integer.toString(i))), java.nio.charset.StandardCharsets.UTF_8), 1);
        }
        Push second = client.awaitPush(p -> p instanceof Push.Pub pp && pp.pub().offset() == 2, WAIT);
        assertThat(((Push.Pub) second).pub().offset()).isEqualTo(2);
        assertThat(((Push.Pub) client.nextPush(WAIT)).pub().offset()).isEqualTo(1);
        assertThat(((Push.Pub) client.nextPush(WAIT)).pub().offset()).isEqualTo(3);
        assertThat(client.pushes()).hasSize(3);
        assertThatThrownBy(() -> client.nextPush(Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void undecodableFramesAreRecordedNotFatal() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        server.sendText("{not json", 1);
        server.sendText(new String(JSON.encodePush(pub(1, "1")), java.nio.charset.StandardCharsets.UTF_8), 1);
        client.nextPush(WAIT);
        assertThat(client.undecodableFrames()).hasSize(1);
    }

    @Test
    void aServerCloseIsReportedAndFailsWaitingRequestsAtOnce() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        CompletableFuture<Reply> pending = client.send(new Request.Ping(0));
        server.next();
        server.sendClose(4002, "slow consumer");
        assertThat(client.awaitClose(WAIT)).isEqualTo(new TestClient.CloseInfo(4002, "slow consumer"));
        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("connection closed");
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void pausedReadingLeavesTheServersWritesBlocked() throws Exception {
        client = TestClient.connect(server.uri(), Format.JSON);
        client.pauseReading();
        // the one message already asked for may still arrive after the pause
        server.sendText(new String(JSON.encodePush(pub(1, "0")), java.nio.charset.StandardCharsets.UTF_8), 1);
        client.nextPush(WAIT);
        String padding = "\"" + "x".repeat(64 * 1024) + "\"";
        byte[] frame = JSON.encodePush(pub(2, padding));
        int messages = 1024;
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                String text = new String(frame, java.nio.charset.StandardCharsets.UTF_8);
                for (int i = 0; i < messages; i++) {
                    server.sendText(text, 1);
                    written.incrementAndGet();
                }
            } catch (Exception e) {
                // closed by the test
            }
        }, "mini-ws-writer");
        writer.setDaemon(true);
        writer.start();
        // 64 MiB cannot fit in socket buffers: a paused client must leave the writer stuck
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> written.get() < messages);
        assertThat(client.pushes()).hasSize(1);
        client.resumeReading();
        await().atMost(Duration.ofSeconds(60)).until(() -> written.get() == messages);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.pushes().size() == messages + 1);
    }
}
