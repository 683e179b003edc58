package dev.chorus.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of connections opened up front, for SQLite, where a pool's validation and eviction
 * buy nothing. Each store thread uses one at a time, so with as many connections as threads
 * {@link #acquire} never waits.
 */
public final class FixedConnections implements ConnectionSource {
    private final List<Connection> all;
    private final BlockingQueue<Connection> idle;

    /** Opens a connection source; closes what it opened when {@code open} fails. */
    public static FixedConnections open(int count, Opener opener) throws SQLException {
        List<Connection> opened = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                opened.add(opener.open());
            }
        } catch (SQLException | RuntimeException e) {
            for (Connection c : opened) {
                closeQuietly(c);
            }
            throw e;
        }
        return new FixedConnections(opened);
    }

    private FixedConnections(List<Connection> connections) {
        this.all = List.copyOf(connections);
        this.idle = new ArrayBlockingQueue<>(all.size(), false, all);
    }

    /** Opens one connection. */
    public interface Opener {
        Connection open() throws SQLException;
    }

    @Override
    public Connection acquire() throws SQLException {
        try {
            Connection c = idle.poll(30, TimeUnit.SECONDS);
            if (c == null) {
                throw new SQLException("no connection free within 30 s");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", e);
        }
    }

    @Override
    public void release(Connection c) {
        idle.offer(c);
    }

    @Override
    public void close() {
        for (Connection c : all) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to do with the error
        }
    }
}
