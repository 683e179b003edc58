package dev.chorus.jdbc;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.StoredDocument;
import dev.chorus.jdbc.internal.DataDirLock;
import dev.chorus.jdbc.internal.Dialect;
import dev.chorus.jdbc.internal.FixedConnections;
import dev.chorus.jdbc.internal.JdbcDocumentStore;
import dev.chorus.jdbc.internal.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import org.sqlite.SQLiteConfig;

/**
 * The embedded {@link DocumentStore}: one SQLite file ({@value SqliteStoreConfig#FILE_NAME}) under
 * the data directory, for a single node.
 *
 * <p><b>Durability.</b> The database runs in WAL mode, by default with {@code synchronous=FULL}:
 * every commit fsyncs the WAL before it returns, so an acknowledged update survives not only
 * {@code kill -9} of the process but also a power cut or an OS crash. The price is one fsync per
 * commit, which group commit spreads over every append waiting at the time.
 * {@link SqliteStoreConfig.Sync#NORMAL} leaves out that fsync: the WAL is written before the commit
 * returns, only not synced, so a process crash loses nothing but a machine crash or power cut can
 * lose the last commits.
 *
 * <p><b>Threads.</b> One writer thread owns the only write connection and commits batches of
 * queued writes ({@code BEGIN IMMEDIATE}); loads run on {@link SqliteStoreConfig#readThreads()}
 * threads with their own connections, which WAL lets read while the writer writes. A lock file
 * beside the database refuses a second store (in this or another process) on the same directory.
 */
public final class SqliteDocumentStore implements DocumentStore {
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final JdbcDocumentStore store;
    private final SqliteStoreConfig config;

    private SqliteDocumentStore(JdbcDocumentStore store, SqliteStoreConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * Opens (creating when missing) the store's directory and database and applies the migrations.
     *
     * @throws SQLException when the directory cannot be created or locked, or the database not opened
     */
    public static SqliteDocumentStore open(SqliteStoreConfig config) throws SQLException {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new SQLException("cannot create data directory " + config.dataDir() + ": " + e, e);
        }
        DataDirLock lock = DataDirLock.acquire(config.dataDir().resolve(SqliteStoreConfig.FILE_NAME + ".lock"));
        FixedConnections writer = null;
        FixedConnections readers = null;
        try {
            String url = "jdbc:sqlite:" + config.file().toAbsolutePath();
            writer = FixedConnections.open(1, () -> connect(url, config.sync()));
            Connection c = writer.acquire();
            try {
                Migrations.apply(c, Dialect.SQLITE, null);
            } finally {
                writer.release(c);
            }
            readers = FixedConnections.open(config.readThreads(), () -> connect(url, config.sync()));
            JdbcDocumentStore store = new JdbcDocumentStore("chorus-sqlite", Dialect.SQLITE, config.limits(), writer,
                    readers, config.readThreads(), config.maxPending(), config.maxPendingBytes(), lock::close);
            return new SqliteDocumentStore(store, config);
        } catch (SQLException | RuntimeException e) {
            if (readers != null) {
                readers.close();
            }
            if (writer != null) {
                writer.close();
            }
            lock.close();
            throw e;
        }
    }

    private static Connection connect(String url, SqliteStoreConfig.Sync sync) throws SQLException {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(sync == SqliteStoreConfig.Sync.NORMAL ? SQLiteConfig.SynchronousMode.NORMAL : SQLiteConfig.SynchronousMode.FULL);
        c.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        return c.createConnection(url);
    }

    public SqliteStoreConfig config() {
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
