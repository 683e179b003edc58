package dev.chorus.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a store's threads get their connections: a fixed set (SQLite) or a pool (HikariCP). */
public interface ConnectionSource extends AutoCloseable {
    Connection acquire() throws SQLException;

    /** Gives back a connection from {@link #acquire}. */
    void release(Connection c);

    @Override
    void close();
}
