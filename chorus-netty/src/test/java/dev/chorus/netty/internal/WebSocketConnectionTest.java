package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection on an {@link EmbeddedChannel}: nothing reaches the "socket" until the flush task
 * runs, so pending bytes can be counted exactly.
 */
class WebSocketConnectionTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** Runs what the inbound side hands it, as an engine callback on the event loop would. */
    private static final class RunOnRead extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((Runnable) msg).run();
        }
    }

    /**
     * Runs {@code r} inside one turn of the channel's loop: an EmbeddedChannel runs its queued
     * tasks (our flush) only once the outermost channel operation returns.
     */
    private static void inOneTurn(EmbeddedChannel ch, Runnable r) {
        ch.writeOneInbound(r);
        ch.checkException();
    }

    private WebSocketConnection open(Format format, long maxOutbound) {
        EmbeddedChannel ch = new EmbeddedChannel(new RunOnRead());
        channels.add(ch);
        return new WebSocketConnection(ch, new LoopBatch(ch.eventLoop()), format, maxOutbound, 3_000, false);
    }

    private static EmbeddedChannel channel(WebSocketConnection c) throws Exception {
        var f = WebSocketConnection.class.getDeclaredField("channel");
        f.setAccessible(true);
        return (EmbeddedChannel) f.get(c);
    }

    /** Everything written so far, as the client would read it; releases the buffers. */
    private static List<Object> drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Object> out = new ArrayList<>();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            if (m instanceof ByteBuf b) {
                out.add(ByteBufUtil.getBytes(b));
            } else if (m instanceof CloseWebSocketFrame c) {
                out.add("close " + c.statusCode() + " " + c.reasonText());
            } else {
                out.add(m);
            }
            ReferenceCountUtil.release(m);
        }
        return out;
    }

    private static byte[] frame(int opcode, byte[] payload) {
        return ByteBufUtil.getBytes(WireFramesTestSupport.encode(opcode == 2, payload));
    }

    @AfterEach
    void release() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void jsonGoesInTextFramesAndMessagePackInBinaryFrames() throws Exception {
        WebSocketConnection json = open(Format.JSON, 1 << 20);
        WebSocketConnection msgpack = open(Format.MSGPACK, 1 << 20);
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        json.write(payload);
        msgpack.write(payload);
        byte[] text = (byte[]) drain(channel(json)).get(0);
        byte[] binary = (byte[]) drain(channel(msgpack)).get(0);
        assertThat(text[0] & 0xff).isEqualTo(0x81);
        assertThat(binary[0] & 0xff).isEqualTo(0x82);
        assertThat(text[1]).isEqualTo((byte) payload.length);
        assertThat(Arrays.copyOfRange(text, 2, text.length)).isEqualTo(payload);
        assertThat(frame(1, payload)).isEqualTo(text);
    }

    @Test
    void writesAreFlushedOncePerLoopTurnInOrder() throws Exception {
        WebSocketConnection c = open(Format.JSON, 1 << 20);
        EmbeddedChannel ch = channel(c);
        long[] pending = new long[1];
        int[] flushed = new int[1];
        inOneTurn(ch, () -> {
            for (int i = 0; i < 5; i++) {
                c.write(("" + i).getBytes(StandardCharsets.UTF_8));
            }
            // written to the pipeline but not yet flushed: the flush is a task of the loop
            flushed[0] = ch.outboundMessages().size();
            pending[0] = ch.unsafe().outboundBuffer().totalPendingWriteBytes();
        });
        assertThat(flushed[0]).isZero();
        // five 3-byte frames, plus whatever Netty counts per queued entry
        assertThat(pending[0]).isGreaterThanOrEqualTo(5 * 3);
        List<Object> out = drain(ch);
        assertThat(ch.unsafe().outboundBuffer().totalPendingWriteBytes()).isZero();
        assertThat(out).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat((byte[]) out.get(i)).isEqualTo(frame(1, ("" + i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aWritePastTheOutboundLimitIsDroppedAndClosesWith4002Once() throws Exception {
        WebSocketConnection c = open(Format.JSON, 3500);
        EmbeddedChannel ch = channel(c);
        byte[] payload = new byte[1000];
        Arrays.fill(payload, (byte) 'x');
        boolean[] open = new boolean[2];
        inOneTurn(ch, () -> {
            c.write(payload);
            c.write(payload);
            c.write(payload); // 3 x (4 + 1000) = 3012 pending, plus Netty's per-entry overhead
            open[0] = c.isOpen();
            c.write(payload); // would pass 4000
            open[1] = c.isOpen();
            c.write(payload);
            c.close(CloseCode.NORMAL, "again");
        });
        assertThat(open).containsExactly(true, false);
        List<Object> out = drain(ch);
        assertThat(out).hasSize(4);
        assertThat(out.subList(0, 3)).allSatisfy(f -> assertThat((byte[]) f).isEqualTo(frame(1, payload)));
        assertThat((String) out.get(3)).startsWith("close 4002 ");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void bytesTheSocketHasTakenNoLongerCount() throws Exception {
        WebSocketConnection c = open(Format.JSON, 3500);
        EmbeddedChannel ch = channel(c);
        byte[] payload = new byte[1000];
        for (int round = 0; round < 10; round++) {
            inOneTurn(ch, () -> {
                c.write(payload);
                c.write(payload);
                c.write(payload);
            });
            assertThat(drain(ch)).hasSize(3);
        }
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void closeSendsTheCodeAndATruncatedReasonThenClosesTheChannel() throws Exception {
        WebSocketConnection c = open(Format.JSON, 1 << 20);
        EmbeddedChannel ch = channel(c);
        c.write("last".getBytes(StandardCharsets.UTF_8));
        String reason = "é".repeat(59) + "😀" + "tail";
        c.close(CloseCode.UNAUTHORIZED, reason);
        c.write("ignored".getBytes(StandardCharsets.UTF_8));
        List<Object> out = drain(ch);
        assertThat(out).hasSize(2);
        assertThat((byte[]) out.get(0)).isEqualTo(frame(1, "last".getBytes(StandardCharsets.UTF_8)));
        // 59 x 2 bytes = 118: the 4-byte emoji does not fit, and is not cut in half
        assertThat(out.get(1)).isEqualTo("close 4005 " + "é".repeat(59));
        assertThat(ch.isActive()).isFalse();
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void reasonsAreCutAtWholeCharactersWithin120Bytes() {
        assertThat(WebSocketConnection.truncate("")).isEmpty();
        assertThat(WebSocketConnection.truncate("a".repeat(120))).hasSize(120);
        assertThat(WebSocketConnection.truncate("a".repeat(121))).hasSize(120);
        assertThat(WebSocketConnection.truncate("a".repeat(117) + "😀")).isEqualTo("a".repeat(117));
        assertThat(WebSocketConnection.truncate("a".repeat(116) + "😀")).isEqualTo("a".repeat(116) + "😀");
        for (String s : List.of("€".repeat(50), "x" + "€".repeat(50), "xy" + "€".repeat(50), "😀".repeat(40))) {
            String t = WebSocketConnection.truncate(s);
            assertThat(t.getBytes(StandardCharsets.UTF_8).length).isBetween(117, 120);
            assertThat(s).startsWith(t);
            assertThat(Character.isHighSurrogate(t.charAt(t.length() - 1))).isFalse();
        }
    }

    @Test
    void badArgumentsAreRefusedAndChangeNothing() throws Exception {
        WebSocketConnection c = open(Format.JSON, 1 << 20);
        assertThatThrownBy(() -> c.write(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> c.close(null, "x")).isInstanceOf(NullPointerException.class);
        assertThat(c.isOpen()).isTrue();
        c.write("ok".getBytes(StandardCharsets.UTF_8));
        assertThat(drain(channel(c))).hasSize(1);
    }

    @Test
    void aClosedChannelTakesNoWrites() throws Exception {
        WebSocketConnection c = open(Format.JSON, 1 << 20);
        EmbeddedChannel ch = channel(c);
        ch.close();
        c.markClosed();
        c.write("x".getBytes(StandardCharsets.UTF_8));
        c.close(CloseCode.NORMAL, "late");
        assertThat(drain(ch)).isEmpty();
        assertThat(c.isOpen()).isFalse();
    }
}
