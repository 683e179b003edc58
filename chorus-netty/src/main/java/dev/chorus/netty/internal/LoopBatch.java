package dev.chorus.netty.internal;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Collects writes that other threads make to the connections of one event loop, and hands them
 * over in one task: a publication fanned out to a thousand subscribers on this loop costs one
 * task and one wake-up, not a thousand, and each connection is flushed once per batch. One per
 * event loop, found through {@link LoopBatches}.
 */
final class LoopBatch implements Runnable {
    private final EventLoop loop;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<WebSocketConnection> touched = new ArrayList<>();
    /** Frames built on this loop, shared by every connection of the loop that gets the same payload. */
    final WireFrames frames = new WireFrames();

    LoopBatch(EventLoop loop) {
        this.loop = loop;
    }

    /** Queues a frame for a connection of this loop (callable from any thread). */
    void submit(WebSocketConnection connection, byte[] frame) {
        // pairs are offered in one go so the drain never sees half of one (single consumer)
        queue.offer(new Object[] {connection, frame});
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        Object item;
        while ((item = queue.poll()) != null) {
            Object[] pair = (Object[]) item;
            WebSocketConnection c = (WebSocketConnection) pair[0];
            if (c.writeFromBatch((byte[]) pair[1])) {
                touched.add(c);
            }
        }
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).flushFromBatch();
        }
        touched.clear();
        frames.clear();
    }
}
