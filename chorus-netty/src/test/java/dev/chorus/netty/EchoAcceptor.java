package dev.chorus.netty;

import dev.chorus.core.transport.Connection;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in engine: echoes every frame, records what the transport reports. */
final class EchoAcceptor implements ConnectionAcceptor {
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final List<Long> oversized = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean ready = true;

    @Override
    public InboundHandler accept(Connection connection) {
        connections.add(connection);
        return new InboundHandler() {
            @Override
            public void onFrame(byte[] data, boolean binary) {
                connection.write(data);
            }

            @Override
            public void onOversizedFrame(long size) {
                oversized.add(size);
                connection.write("{\"oversized\":true}".getBytes());
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
