package dev.chorus.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What differs between the databases: row locking, retryable errors, migration scripts. */
public enum Dialect {
    /**
     * One writer per file (the store's writer thread, {@code BEGIN IMMEDIATE}): no row locks needed.
     * Transactions are begun and ended with explicit statements on a connection left in autocommit:
     * the driver's own {@code autoCommit=false} mode begins the next transaction right after each
     * commit, so an idle writer would hold the database's write lock.
     */
    SQLITE("sqlite", "") {
        @Override
        void begin(Connection c, boolean write) throws SQLException {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
        }

        @Override
        void commit(Connection c) throws SQLException {
            exec(c, "COMMIT");
        }

        @Override
        void rollback(Connection c) throws SQLException {
            if (!c.getAutoCommit()) {
                c.rollback();
            } else {
                exec(c, "ROLLBACK");
            }
        }

        @Override
        boolean retryable(SQLException e) {
            int code = e.getErrorCode() & 0xff; // extended result codes keep the primary code in the low byte
            return code == 5 || code == 6; // SQLITE_BUSY, SQLITE_LOCKED
        }
    },
    /** Several processes may write one document: its row is locked for the transaction. */
    POSTGRES("postgres", " FOR UPDATE") {
        @Override
        void begin(Connection c, boolean write) throws SQLException {
            c.setAutoCommit(false); // the driver begins at the first statement
            // writers lock rows and must see the latest committed last_seq; readers want one snapshot
            c.setTransactionIsolation(write ? Connection.TRANSACTION_READ_COMMITTED : Connection.TRANSACTION_REPEATABLE_READ);
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
        }

        @Override
        void rollback(Connection c) throws SQLException {
            c.rollback();
        }

        @Override
        boolean retryable(SQLException e) {
            String state = e.getSQLState();
            // serialization failure, deadlock detected, unique violation (a racing first insert)
            return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
        }
    };

    private final String resourceDir;
    private final String lockClause;

    Dialect(String resourceDir, String lockClause) {
        this.resourceDir = resourceDir;
        this.lockClause = lockClause;
    }

    /** Begins a transaction: a write transaction takes the database's or the rows' write locks. */
    abstract void begin(Connection c, boolean write) throws SQLException;

    abstract void commit(Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    /** Rolls back after {@code cause}, adding a failure of the rollback itself to it. */
    void rollbackAfter(Connection c, Exception cause) {
        try {
            rollback(c);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Whether a transaction that failed with {@code e} may be run again as it is. */
    abstract boolean retryable(SQLException e);

    /** Appended to the select of a document's head row inside a write transaction. */
    String lockClause() {
        return lockClause;
    }

    /** Folder of this dialect's migrations, under {@code dev/chorus/jdbc/migrations/}. */
    String resourceDir() {
        return resourceDir;
    }
}
