package dev.chorus.netty.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link LoopBatch} of each event loop of one transport. The loops are fixed for the
 * transport's life, so entries are never removed: the map goes with the transport.
 */
final class LoopBatches {
    private final ConcurrentHashMap<EventLoop, LoopBatch> batches = new ConcurrentHashMap<>();

    LoopBatch of(EventLoop loop) {
        LoopBatch b = batches.get(loop);
        return b != null ? b : batches.computeIfAbsent(loop, LoopBatch::new);
    }
}
