package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.core.transport.Connection;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket session on an {@link EmbeddedChannel}: the upgrade through the real pipeline, then
 * client frames written as raw (masked) bytes and server frames parsed from the raw output.
 */
class WebSocketSessionTest {
    private final RecordingAcceptor acceptor = new RecordingAcceptor();
    private EmbeddedChannel ch;

    /** One server-to-client frame. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private String open(Limits limits, String uri, String subprotocols) {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder().limits(limits).build();
        ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(ChorusChannelInitializer.MAX_HTTP_REQUEST),
                new HttpRouter(ChorusChannelInitializer.routes(config, acceptor)));
        String req = "GET " + uri + " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (subprotocols == null ? "" : "Sec-WebSocket-Protocol: " + subprotocols + "\r\n") + "\r\n";
        return HttpRouterTest.exchange(ch, req);
    }

    private Connection openJson(Limits limits) {
        assertThat(open(limits, "/ws", "chorus.v1.json")).startsWith("HTTP/1.1 101 ");
        assertThat(acceptor.connections).hasSize(1);
        return acceptor.connections.get(0);
    }

    /** A client frame: masked, as RFC 6455 5.3 requires. */
    static ByteBuf clientFrame(boolean fin, int opcode, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte((fin ? 0x80 : 0) | opcode);
        int len = payload.length;
        if (len <= 125) {
            b.writeByte(0x80 | len);
        } else if (len <= 0xffff) {
            b.writeByte(0x80 | 126).writeShort(len);
        } else {
            b.writeByte(0x80 | 127).writeLong(len);
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        b.writeBytes(mask);
        for (int i = 0; i < len; i++) {
            b.writeByte(payload[i] ^ mask[i % 4]);
        }
        return b;
    }

    private void send(boolean fin, int opcode, String payload) {
        ch.writeInbound(clientFrame(fin, opcode, payload.getBytes(StandardCharsets.UTF_8)));
        ch.runPendingTasks();
    }

    /** Every frame the server has written since the last call. */
    private List<Frame> received() {
        ch.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            all.writeBytes((ByteBuf) m);
            ((ByteBuf) m).release();
        }
        return parse(all);
    }

    /** Splits server frames; releases {@code all}. */
    private static List<Frame> parse(ByteBuf all) {
        List<Frame> frames = new ArrayList<>();
        while (all.isReadable()) {
            int b0 = all.readUnsignedByte();
            int b1 = all.readUnsignedByte();
            assertThat(b1 & 0x80).as("server frames are not masked").isZero();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = all.readUnsignedShort();
            } else if (len == 127) {
                len = all.readLong();
            }
            byte[] p = new byte[(int) len];
            all.readBytes(p);
            frames.add(new Frame((b0 & 0x80) != 0, b0 & 0x0f, p));
        }
        all.release();
        return frames;
    }

    @Test
    void theUpgradeSelectsTheSubprotocolAndTheRouterStepsAside() {
        String res = open(Limits.defaults(), "/ws?token=abc", "mqtt, chorus.v1.msgpack");
        assertThat(res).startsWith("HTTP/1.1 101 ").containsIgnoringCase("sec-websocket-protocol: chorus.v1.msgpack\r\n");
        assertThat(acceptor.connections).singleElement().extracting(Connection::format).isEqualTo(Format.MSGPACK);
        assertThat(ch.pipeline().get(HttpRouter.class)).isNull();

        send(true, 0x2, "hi");
        assertThat(acceptor.frames).containsExactly("binary:hi");
        acceptor.connections.get(0).write(new byte[] {1, 2, 3});
        List<Frame> out = received();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).opcode()).isEqualTo(0x2);
        assertThat(out.get(0).payload()).containsExactly(1, 2, 3);
    }

    @Test
    void noOrUnknownSubprotocolsMeanJson() {
        String res = open(Limits.defaults(), "/ws", "mqtt");
        assertThat(res).startsWith("HTTP/1.1 101 ").doesNotContainIgnoringCase("sec-websocket-protocol");
        assertThat(acceptor.connections).singleElement().extracting(Connection::format).isEqualTo(Format.JSON);
        acceptor.connections.get(0).write("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(received()).singleElement().extracting(Frame::opcode).isEqualTo(0x1);
    }

    @Test
    void fragmentedMessagesArriveWhole() {
        openJson(Limits.defaults());
        send(false, 0x1, "{\"a\":");
        send(false, 0x0, "1");
        assertThat(acceptor.frames).isEmpty();
        send(true, 0x0, "}");
        assertThat(acceptor.frames).containsExactly("text:{\"a\":1}");
    }

    @Test
    void aMessageOverTheSoftLimitIsReportedAndTheConnectionStaysOpen() {
        Connection c = openJson(Limits.builder().maxFrameSize(16).hardFrameSize(64).build());
        send(true, 0x1, "x".repeat(17));
        assertThat(acceptor.oversized).containsExactly(17L);
        assertThat(acceptor.frames).isEmpty();
        send(true, 0x1, "x".repeat(16));
        assertThat(acceptor.frames).containsExactly("text:" + "x".repeat(16));
        assertThat(c.isOpen()).isTrue();
        assertThat(received()).isEmpty();
    }

    @Test
    void aFrameOverTheHardLimitCloses1009() {
        Connection c = openJson(Limits.builder().maxFrameSize(16).hardFrameSize(64).build());
        send(true, 0x1, "x".repeat(65));
        List<Frame> out = received();
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(0x8);
            assertThat(f.closeCode()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        });
        assertThat(ch.isActive()).isFalse();
        assertThat(c.isOpen()).isFalse();
        assertThat(acceptor.frames).isEmpty();
        assertThat(acceptor.oversized).isEmpty();
        assertThat(acceptor.closes.get()).isEqualTo(1);
    }

    @Test
    void fragmentsAddingUpPastTheHardLimitClose1009() {
        openJson(Limits.builder().maxFrameSize(16).hardFrameSize(64).build());
        send(false, 0x1, "x".repeat(30));
        send(false, 0x0, "x".repeat(30));
        send(true, 0x0, "x".repeat(30));
        List<Frame> out = received();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).opcode()).isEqualTo(0x8);
        assertThat(out.get(0).closeCode()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        assertThat(out.get(0).text()).contains("larger than 64 bytes");
        assertThat(acceptor.frames).isEmpty();
        assertThat(ch.isActive()).isFalse();
        assertThat(acceptor.closes.get()).isEqualTo(1);
    }

    @Test
    void pingsAreAnsweredWithoutTheEngine() {
        openJson(Limits.defaults());
        send(true, 0x9, "p1");
        assertThat(received()).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(0xA);
            assertThat(f.text()).isEqualTo("p1");
        });
        assertThat(acceptor.frames).isEmpty();
    }

    @Test
    void aClientCloseIsAnsweredAndReportedOnce() {
        Connection c = openJson(Limits.defaults());
        ch.writeInbound(clientFrame(true, 0x8, new byte[] {0x03, (byte) 0xe8}));
        List<Frame> out = received();
        assertThat(out).singleElement().extracting(Frame::opcode).isEqualTo(0x8);
        assertThat(ch.isActive()).isFalse();
        c.close(CloseCode.NORMAL, "late");
        c.write("late".getBytes(StandardCharsets.UTF_8));
        ch.close();
        assertThat(received()).isEmpty();
        assertThat(acceptor.closes.get()).isEqualTo(1);
    }

    @Test
    void aServerCloseIsReportedOnce() {
        Connection c = openJson(Limits.defaults());
        c.close(CloseCode.UNAUTHORIZED, "bad token");
        c.close(CloseCode.INTERNAL, "twice");
        List<Frame> out = received();
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.closeCode()).isEqualTo(4005);
            assertThat(new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8)).isEqualTo("bad token");
        });
        assertThat(ch.isActive()).isFalse();
        assertThat(acceptor.closes.get()).isEqualTo(1);
    }

    @Test
    void anEngineThatFailsToAcceptClosesTheSocketWith4008() {
        acceptor.failAccept = true;
        String res = open(Limits.defaults(), "/ws", null);
        assertThat(res).startsWith("HTTP/1.1 101 ");
        // the close frame follows the handshake response in the same write
        List<Frame> out = parse(Unpooled.copiedBuffer(res.substring(res.indexOf("\r\n\r\n") + 4), StandardCharsets.ISO_8859_1));
        assertThat(out).singleElement().extracting(Frame::closeCode).isEqualTo(CloseCode.INTERNAL.code());
        assertThat(ch.isActive()).isFalse();
        assertThat(acceptor.closes.get()).isZero();
    }
}
