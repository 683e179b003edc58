package dev.chorus.netty.internal;

import dev.chorus.core.transport.Connection;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client as the engine sees it. Writes from the connection's own event loop go straight
 * to the channel; writes from other threads go through the loop's {@link LoopBatch}, in order.
 * Flushes are batched. Bytes count as pending until the socket has taken them (Netty's outbound
 * buffer plus what waits in the batch): past the outbound limit the client is closed as a slow
 * consumer. Netty's count includes its bookkeeping per queued frame (about 100 bytes), so the limit
 * bounds the memory a client holds, not only its payload bytes: tiny frames reach it sooner.
 */
final class WebSocketConnection implements Connection {
    /** The connection of a WebSocket channel, once the handshake is done. */
    static final AttributeKey<WebSocketConnection> KEY = AttributeKey.valueOf(WebSocketConnection.class, "connection");
    /** Longest close reason sent, in UTF-8 bytes. */
    static final int MAX_REASON_BYTES = 120;

    private final Channel channel;
    private final Format format;
    private final long maxOutbound;
    /** How long a close frame may wait behind unread data before the socket is cut. */
    private final long closeTimeoutMillis;
    private final AtomicLong crossThread = new AtomicLong();
    /** Whether permessage-deflate was negotiated (frames must then go through the WebSocket encoder). */
    private final boolean compressed;
    private final LoopBatch batch;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Loop-only: a flush task is queued for this connection. */
    private boolean flushScheduled;
    /** Loop-only: frames were written since the last flush. */
    private boolean dirty;
    private final Runnable flushTask = this::flushNow;
    /** Told once when the connection is closed as a slow consumer (set after the engine accepted it). */
    private volatile Runnable onSlowConsumer;

    WebSocketConnection(Channel channel, LoopBatch batch, Format format, long maxOutbound, long closeTimeoutMillis,
            boolean compressed) {
        this.compressed = compressed;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.channel = channel;
        this.format = format;
        this.maxOutbound = maxOutbound;
        this.batch = batch;
    }

    void onSlowConsumer(Runnable r) {
        this.onSlowConsumer = r;
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public String remoteAddress() {
        return RemoteAddresses.of(channel);
    }

    @Override
    public void write(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (closing.get()) {
            return;
        }
        int size = frame.length;
        if (pending() + size > maxOutbound) {
            Runnable hook = onSlowConsumer;
            if (hook != null && !closing.get()) {
                hook.run();
            }
            close(CloseCode.SLOW_CONSUMER, "outbound queue over " + maxOutbound + " bytes");
            return;
        }
        // on the loop with nothing of ours waiting in the batch, write directly; else queue behind it
        if (channel.eventLoop().inEventLoop() && crossThread.get() == 0) {
            if (writeNow(frame) && !flushScheduled) {
                flushScheduled = true;
                channel.eventLoop().execute(flushTask);
            }
        } else {
            crossThread.addAndGet(size);
            batch.submit(this, frame);
        }
    }

    /** Bytes accepted but not yet taken by the socket: in the loop batch, or in Netty's outbound buffer. */
    private long pending() {
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return crossThread.get() + (out == null ? 0 : out.totalPendingWriteBytes());
    }

    /** Called by the loop batch on the event loop; returns whether something was written. */
    boolean writeFromBatch(byte[] frame) {
        crossThread.addAndGet(-frame.length);
        return writeNow(frame);
    }

    void flushFromBatch() {
        flushPending();
    }

    /** Flushes what was written since the last flush (on the event loop). */
    void flushPending() {
        if (dirty) {
            dirty = false;
            channel.flush();
        }
    }

    private boolean writeNow(byte[] frame) {
        // frames accepted before close() still go out, ahead of the close frame
        if (!channel.isActive()) {
            return false;
        }
        if (compressed) {
            ByteBuf buf = Unpooled.wrappedBuffer(frame);
            WebSocketFrame f = format.binary() ? new BinaryWebSocketFrame(buf) : new TextWebSocketFrame(buf);
            channel.write(f, channel.voidPromise());
        } else {
            // framed once per event loop and payload; written below the WebSocket encoder as is
            channel.write(batch.frames.frame(channel.alloc(), frame, format.binary()), channel.voidPromise());
        }
        dirty = true;
        return true;
    }

    private void flushNow() {
        flushScheduled = false;
        flushPending();
        // a frame cached by a direct write must not outlive the loop turn (nothing else would release it)
        batch.frames.clear();
    }

    @Override
    public void close(CloseCode code, String reason) {
        Objects.requireNonNull(code, "code");
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        String r = truncate(reason == null ? "" : reason);
        Runnable doClose = () -> {
            if (!channel.isActive()) {
                return;
            }
            channel.writeAndFlush(new CloseWebSocketFrame(code.code(), r)).addListener(ChannelFutureListener.CLOSE);
            dirty = false;
            var cut = channel.eventLoop().schedule(() -> {
                channel.close();
            }, closeTimeoutMillis, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(x -> cut.cancel(false));
        };
        // behind any frames still waiting in the loop batch, so a reply written just before is not lost
        if (channel.eventLoop().inEventLoop() && crossThread.get() == 0) {
            doClose.run();
        } else {
            channel.eventLoop().execute(doClose);
        }
    }

    /** A close frame's reason may hold at most 123 bytes; keep a margin and whole characters. */
    static String truncate(String reason) {
        int bytes = 0;
        int i = 0;
        while (i < reason.length()) {
            int cp = reason.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > MAX_REASON_BYTES) {
                return reason.substring(0, i);
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return reason;
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isActive();
    }

    /** Marks the connection closed from the network side (no close frame to send any more). */
    void markClosed() {
        closing.set(true);
    }
}
