package dev.chorus.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Connections from a HikariCP pool: released ones go back to the pool, broken ones are replaced. */
public final class PooledConnections implements ConnectionSource {
    private final HikariDataSource pool;

    public PooledConnections(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection acquire() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void release(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool evicts a connection it cannot take back
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
