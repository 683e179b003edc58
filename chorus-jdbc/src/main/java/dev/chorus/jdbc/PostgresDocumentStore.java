package dev.chorus.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.StoredDocument;
import dev.chorus.jdbc.internal.Dialect;
import dev.chorus.jdbc.internal.JdbcDocumentStore;
import dev.chorus.jdbc.internal.Migrations;
import dev.chorus.jdbc.internal.PooledConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;

/**
 * The {@link DocumentStore} for several nodes: tables in a PostgreSQL schema, reached through a
 * HikariCP pool.
 *
 * <p><b>Several writers.</b> Every process has one writer thread that group-commits its queued
 * writes in one transaction. The transaction locks the head rows of the documents it touches
 * ({@code SELECT ... FOR UPDATE}, in name order, so two processes never deadlock on each other) and
 * numbers the appends from the locked {@code last_seq}: appends of several processes to one
 * document are serialized by the row lock and get distinct, gap-free sequence numbers. A
 * transaction aborted by a serialization failure or deadlock is run again, up to five times.
 *
 * <p><b>Durability.</b> An append is acknowledged after its transaction commits, i.e. once
 * PostgreSQL has flushed its WAL (with the server's default {@code synchronous_commit=on}).
 * Loads read head row and updates in one REPEATABLE READ transaction, so a compaction is seen
 * entirely or not at all.
 */
public final class PostgresDocumentStore implements DocumentStore {
    private final JdbcDocumentStore store;
    private final PostgresStoreConfig config;

    private PostgresDocumentStore(JdbcDocumentStore store, PostgresStoreConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * Connects, creates the schema when missing and applies the migrations.
     *
     * @throws SQLException when the database cannot be reached or migrated
     */
    public static PostgresDocumentStore open(PostgresStoreConfig config) throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hc.setUsername(config.user());
        }
        if (config.password() != null) {
            hc.setPassword(config.password());
        }
        hc.setSchema(config.schema());
        hc.setMaximumPoolSize(config.readThreads() + 1);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(config.connectTimeout().toMillis());
        // autocommit stays on in the pool: with it off, the search_path set for the schema would open
        // a transaction on every new connection, and a rollback would undo it
        hc.setPoolName("chorus-postgres-" + config.schema());
        hc.addDataSourceProperty("ApplicationName", "chorus");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SQLException("cannot connect to PostgreSQL at " + config.jdbcUrl() + ": " + cause.getMessage(), cause);
        }
        try {
            try (Connection c = pool.getConnection()) {
                Migrations.apply(c, Dialect.POSTGRES, config.schema());
            }
            PooledConnections connections = new PooledConnections(pool);
            JdbcDocumentStore store = new JdbcDocumentStore("chorus-postgres", Dialect.POSTGRES, config.limits(),
                    connections, connections, config.readThreads(), config.maxPending(), config.maxPendingBytes(), () -> { });
            return new PostgresDocumentStore(store, config);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public PostgresStoreConfig config() {
        return config;
    }

    @Override
    public CompletionStage<Long> append(String doc, byte[] update) {
        return store.append(doc, update);
    }

    @Override
    public CompletionStage<StoredDocument> load(String doc) {
        return store.load(doc);
    }

    @Override
    public CompletionStage<Boolean> compact(String doc, byte[] snapshot, long upToSeq) {
        return store.compact(doc, snapshot, upToSeq);
    }

    @Override
    public CompletionStage<Boolean> delete(String doc) {
        return store.delete(doc);
    }

    @Override
    public void close() {
        store.close();
    }
}
