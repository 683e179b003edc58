package dev.chorus.netty.internal;

import dev.chorus.core.transport.Connection;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import io.netty.util.internal.PlatformDependent;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SSE stream as the engine sees it: a JSON connection whose frames are not sent as they are but
 * handed, in order and on the channel's event loop, to the {@link SseSession} that turns them into
 * events. The engine's close is queued behind its frames. Bytes count as pending from
 * {@link #write} until the socket has taken the events made of them; past the outbound limit the
 * stream is closed as a slow consumer, as a WebSocket would be.
 */
final class SseConnection implements Connection {
    /** The SSE connection of a channel, for shutdown. */
    static final AttributeKey<SseConnection> KEY = AttributeKey.valueOf(SseConnection.class, "sse");

    /** Receives the engine's frames and close on the event loop. */
    interface Sink {
        void onEngineFrame(byte[] frame);

        void onEngineClose(CloseCode code, String reason);

        /** Called after a run of frames: write out what they produced. */
        void flush();

        /** Bytes of frames the sink holds back (before the stream starts). */
        long heldBytes();
    }

    private record Close(CloseCode code, String reason) {
    }

    private final Channel channel;
    private final Sink sink;
    private final long maxOutbound;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Runnable onSlowConsumer;

    SseConnection(Channel channel, Sink sink, long maxOutbound) {
        this.channel = channel;
        this.sink = sink;
        this.maxOutbound = maxOutbound;
    }

    @Override
    public Format format() {
        return Format.JSON;
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
        if (pending() + frame.length > maxOutbound) {
            slowConsumer();
            close(CloseCode.SLOW_CONSUMER, "outbound queue over " + maxOutbound + " bytes");
            return;
        }
        queuedBytes.addAndGet(frame.length);
        queue.offer(frame);
        schedule();
    }

    /** Bytes not yet taken by the socket: queued here, held by the session, or in Netty's outbound buffer. */
    long pending() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return queuedBytes.get() + sink.heldBytes() + (out == null ? 0 : out.totalPendingWriteBytes());
    }

    /** Tells the engine (metrics) once that this stream is closed as a slow consumer. */
    void slowConsumer() {
        Runnable hook = onSlowConsumer;
        if (hook != null && !closing.get()) {
            onSlowConsumer = null;
            hook.run();
        }
    }

    void onSlowConsumer(Runnable r) {
        this.onSlowConsumer = r;
    }

    long maxOutbound() {
        return maxOutbound;
    }

    @Override
    public void close(CloseCode code, String reason) {
        Objects.requireNonNull(code, "code");
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        queue.offer(new Close(code, reason == null ? "" : reason));
        schedule();
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isActive();
    }

    /** The network side closed: nothing more is accepted. */
    void markClosed() {
        closing.set(true);
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof byte[] frame) {
                queuedBytes.addAndGet(-frame.length);
                if (channel.isActive()) {
                    sink.onEngineFrame(frame);
                }
            } else {
                Close c = (Close) item;
                sink.onEngineClose(c.code(), c.reason());
            }
        }
        sink.flush();
    }
}
