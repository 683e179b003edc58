package dev.chorus.netty.internal;

import dev.chorus.core.transport.Connection;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in engine that records what the transport hands it. */
final class RecordingAcceptor implements ConnectionAcceptor {
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final List<String> frames = new CopyOnWriteArrayList<>();
    final List<Long> oversized = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean ready = true;
    volatile boolean failAccept;

    @Override
    public InboundHandler accept(Connection connection) {
        if (failAccept) {
            throw new IllegalStateException("refused by the test");
        }
        connections.add(connection);
        return new InboundHandler() {
            @Override
            public void onFrame(byte[] data, boolean binary) {
                frames.add((binary ? "binary:" : "text:") + new String(data, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void onOversizedFrame(long size) {
                oversized.add(size);
            }

            @Override
            public void onClose() {
                closes.incrementAndGet();
            }
        };
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public dev.chorus.core.ServerApi api() {
        throw new UnsupportedOperationException("no server API in this test acceptor");
    }
}
