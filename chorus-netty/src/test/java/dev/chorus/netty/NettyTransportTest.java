package dev.chorus.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.core.transport.Connection;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
    private NettyTransport transport;
    private final EchoAcceptor acceptor = new EchoAcceptor();
    private int port;

    private void start(Limits limits) throws Exception {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder().limits(limits).build();
        transport = new NettyTransport(config);
        InetSocketAddress a = transport.start(acceptor);
        port = a.getPort();
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.stop(Duration.ofSeconds(1));
        }
    }

    /** A JDK WebSocket client recording messages and the close. */
    static final class Client implements WebSocket.Listener {
        final List<Object> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();
        volatile boolean reading = true;
        WebSocket ws;

        static Client open(int port, String... subprotocols) {
            Client c = new Client();
            WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
            if (subprotocols.length > 0) {
                b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
            }
            c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), c).orTimeout(10, TimeUnit.SECONDS).join();
            return c;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            if (reading) {
                w.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bin.writeBytes(b);
            if (last) {
                messages.add(bin.toByteArray());
                bin.reset();
            }
            if (reading) {
                w.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(1006);
        }
    }

    @Test
    void subprotocolSelectsTheFormatAndFramingFollowsIt() throws Exception {
        start(Limits.defaults());
        Client json = Client.open(port, "chorus.v1.json");
        Client msgpack = Client.open(port, "chorus.v1.msgpack");
        Client none = Client.open(port);
        Client unknown = Client.open(port, "mqtt");
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == 4);
        assertThat(json.ws.getSubprotocol()).isEqualTo("chorus.v1.json");
        assertThat(msgpack.ws.getSubprotocol()).isEqualTo("chorus.v1.msgpack");
        assertThat(none.ws.getSubprotocol()).isEmpty();
        assertThat(acceptor.connections).extracting(Connection::format)
                .containsExactlyInAnyOrder(Format.JSON, Format.MSGPACK, Format.JSON, Format.JSON);

        json.ws.sendText("{\"a\":1}", true).join();
        msgpack.ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0x80}), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> json.messages.size() == 1 && msgpack.messages.size() == 1);
        assertThat(json.messages.get(0)).isEqualTo("{\"a\":1}");
        assertThat((byte[]) msgpack.messages.get(0)).containsExactly((byte) 0x80);
        unknown.ws.abort();
        none.ws.abort();
        json.ws.sendClose(1000, "bye").join();
        assertThat(json.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        acceptor.connections.get(1).close(CloseCode.DISCONNECTED, "kicked");
        assertThat(msgpack.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.DISCONNECTED.code());
        // aborted, client-closed and server-closed: each reported exactly once
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.closes.get() == 4);
        assertThat(acceptor.connections).noneMatch(Connection::isOpen);
    }

    @Test
    void oversizedMessagesAreReportedAndTooLargeOnesClose1009() throws Exception {
        start(Limits.builder().maxFrameSize(1024).hardFrameSize(8192).build());
        Client c = Client.open(port, "chorus.v1.json");
        c.ws.sendText("x".repeat(2000), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.oversized.size() == 1);
        assertThat(acceptor.oversized).containsExactly(2000L);
        c.ws.sendText("{\"still\":\"open\"}", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messages.contains("{\"still\":\"open\"}"));

        // fragmented: each fragment small, the whole over the hard limit
        c.ws.sendText("y".repeat(5000), false).join();
        c.ws.sendText("y".repeat(5000), true).join();
        assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.closes.get() == 1);
    }

    @Test
    void slowConsumerIsClosedWhileAFastOneGetsEverything() throws Exception {
        start(Limits.builder().maxOutboundBytes(64 * 1024).build());
        Client fast = Client.open(port, "chorus.v1.json");
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == 1);
        Client slow = Client.open(port, "chorus.v1.json");
        slow.reading = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == 2);
        Connection toFast = acceptor.connections.get(0);
        Connection toSlow = acceptor.connections.get(1);
        byte[] frame = ("{\"blob\":\"" + "z".repeat(4000) + "\"}").getBytes();
        int n = 3000; // 12 MB each: far past the slow client's socket buffers and its 64 KiB limit
        boolean resumed = false;
        for (int i = 1; i <= n; i++) {
            toFast.write(frame);
            toSlow.write(frame);
            if (!resumed && !toSlow.isOpen()) {
                // closed as a slow consumer: read again, so the close frame behind the queue gets through
                resumed = true;
                slow.reading = true;
                slow.ws.request(1);
            }
            if (i % 4 == 0) {
                // the fast client reads as it goes (at most 8 frames, 32 KB, in flight); writing faster than any reader would trip the limit for both
                int sent = i;
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).until(() -> fast.messages.size() >= sent - 4);
            }
        }
        assertThat(resumed).isTrue();
        assertThat(slow.closed.get(10, TimeUnit.SECONDS)).isEqualTo(CloseCode.SLOW_CONSUMER.code());
        assertThat(slow.messages.size()).isLessThan(n);
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.messages.size() == n);
        assertThat(fast.messages).allMatch(m -> m.equals(new String(frame)));
        assertThat(toFast.isOpen()).isTrue();
        assertThat(toSlow.isOpen()).isFalse();
        assertThat(acceptor.closes.get()).isEqualTo(1);
        fast.ws.sendClose(1000, "done").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.closes.get() == 2);
    }

    @Test
    void writesFromManyThreadsKeepPerThreadOrder() throws Exception {
        start(Limits.defaults());
        Client c = Client.open(port, "chorus.v1.json");
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == 1);
        Connection conn = acceptor.connections.get(0);
        int threads = 4;
        int each = 500;
        List<Thread> ts = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    conn.write(("{\"t\":" + id + ",\"i\":" + i + "}").getBytes());
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> c.messages.size() == threads * each);
        int[] last = new int[threads];
        java.util.Arrays.fill(last, -1);
        for (Object m : c.messages) {
            String s = (String) m;
            int t = Integer.parseInt(s.replaceAll(".*\"t\":(\\d+).*", "$1"));
            int i = Integer.parseInt(s.replaceAll(".*\"i\":(\\d+).*", "$1"));
            assertThat(i).isEqualTo(last[t] + 1);
            last[t] = i;
        }
    }

    @Test
    void healthReadyAndOtherPaths() throws Exception {
        start(Limits.defaults());
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        acceptor.ready = false;
        HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("{\"status\":\"starting\"}");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ws")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }

    @Test
    void stopClosesClientsAndFiresOnCloseOnce() throws Exception {
        start(Limits.defaults());
        Client closedByEngine = Client.open(port, "chorus.v1.json");
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == 1);
        Client leftOpen = Client.open(port, "chorus.v1.msgpack");
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == 2);
        acceptor.connections.get(0).close(CloseCode.SHUTDOWN, "bye");
        assertThat(closedByEngine.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.SHUTDOWN.code());
        // the second one outlives the grace period: the transport closes it, telling it to reconnect
        transport.stop(Duration.ofMillis(200));
        transport = null;
        assertThat(leftOpen.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.SHUTDOWN.code());
        assertThat(acceptor.closes.get()).isEqualTo(2);
        assertThat(acceptor.connections).noneMatch(Connection::isOpen);
        // nothing listens any more
        assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }).get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aSingleFrameOverTheHardLimitCloses1009() throws Exception {
        start(Limits.builder().maxFrameSize(1024).hardFrameSize(8192).build());
        Client c = Client.open(port, "chorus.v1.json");
        c.ws.sendText("x".repeat(10_000), true).join();
        assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.closes.get() == 1);
        assertThat(acceptor.oversized).isEmpty();
    }

    @Test
    void aQueryStringOnTheWebSocketPathIsAccepted() throws Exception {
        start(Limits.defaults());
        Client c = new Client();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token=abc&v=1"), c).orTimeout(10, TimeUnit.SECONDS).join();
        c.ws.sendText("{\"q\":1}", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messages.contains("{\"q\":1}"));
    }

    @Test
    void oneArrayWrittenToManyConnectionsFromAnotherThreadReachesEachInOrder() throws Exception {
        start(Limits.defaults());
        int clients = 8;
        List<Client> cs = new java.util.ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(Client.open(port, i % 2 == 0 ? "chorus.v1.json" : "chorus.v1.msgpack"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptor.connections.size() == clients);
        List<byte[]> publications = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            publications.add(("{\"n\":" + i + "}").getBytes());
        }
        Thread publisher = new Thread(() -> {
            for (byte[] p : publications) {
                for (Connection c : acceptor.connections) {
                    c.write(p);
                }
            }
        });
        publisher.start();
        publisher.join();
        for (int i = 0; i < clients; i++) {
            Client c = cs.get(i);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.messages.size() == publications.size());
            for (int k = 0; k < publications.size(); k++) {
                Object m = c.messages.get(k);
                byte[] got = m instanceof String s ? s.getBytes() : (byte[]) m;
                assertThat(got).isEqualTo(publications.get(k));
                // the frame type follows each connection's format
                assertThat(m instanceof byte[]).isEqualTo(i % 2 == 1);
            }
        }
    }
}
