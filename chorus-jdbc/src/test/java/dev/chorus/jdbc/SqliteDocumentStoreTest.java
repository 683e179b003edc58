package dev.chorus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store adds to the contract: its file, pragmas, lock and migrations. */
class SqliteDocumentStoreTest {
    @TempDir
    Path dir;

    private SqliteDocumentStore open() throws SQLException {
        return SqliteDocumentStore.open(SqliteStoreConfig.builder(dir).build());
    }

    private static <T> T join(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
        try (SqliteDocumentStore first = open()) {
            join(first.append("doc", new byte[] {1}));
            assertThatThrownBy(this::open).isInstanceOf(SQLException.class).hasMessageContaining("is locked");
            assertThat(join(first.append("doc", new byte[] {2}))).as("the refused open disturbed nothing").isEqualTo(2L);
        }
        try (SqliteDocumentStore again = open()) {
            assertThat(join(again.load("doc")).updateCount()).isEqualTo(2);
        }
    }

    @Test
    void theDatabaseIsInWalModeWithTheSchemaVersionRecordedOnce() throws Exception {
        open().close();
        open().close(); // a second start applies nothing again
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStoreConfig.FILE_NAME));
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, script FROM chorus_schema_migrations ORDER BY version")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getInt(1) + " " + rs.getString(2));
                }
                assertThat(rows).containsExactly("1 V1__documents.sql");
            }
        }
    }

    @Test
    void aDatabaseFromANewerChorusIsRefused() throws Exception {
        open().close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStoreConfig.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO chorus_schema_migrations (version, script, applied_at) VALUES (99, 'V99__future.sql', 0)");
        }
        assertThatThrownBy(this::open).isInstanceOf(SQLException.class).hasMessageContaining("version 99");
        // the failed open released the directory lock
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStoreConfig.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM chorus_schema_migrations WHERE version = 99");
        }
        open().close();
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsAClearError() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> SqliteDocumentStore.open(SqliteStoreConfig.builder(file.resolve("sub")).build()))
                .isInstanceOf(SQLException.class).hasMessageContaining("cannot create data directory");
    }

    @Test
    void configRefusesBadValues() {
        assertThatThrownBy(() -> SqliteStoreConfig.builder(dir).readThreads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readThreads");
        assertThatThrownBy(() -> SqliteStoreConfig.builder(dir).maxPending(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPending");
        assertThat(SqliteStoreConfig.builder(dir).build().file()).isEqualTo(dir.resolve("documents.sqlite"));
    }

    @Test
    void writesBeyondTheQueueBoundsAreRefusedAtOnceAndStoreNothing() throws Exception {
        SqliteStoreConfig config = SqliteStoreConfig.builder(dir).maxPending(5).maxPendingBytes(1000).build();
        try (SqliteDocumentStore store = SqliteDocumentStore.open(config);
                Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + config.file())) {
            // another connection holds the write lock, so the store's writer stalls on its first batch
            try (Statement s = blocker.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            accepted.add(store.append("q", new byte[] {0}).toCompletableFuture());
            Thread.sleep(300); // the writer has taken it and waits for the lock
            for (int i = 1; i <= 5; i++) {
                accepted.add(store.append("q", new byte[] {(byte) i}).toCompletableFuture());
            }
            CompletableFuture<Long> overCount = store.append("q", new byte[] {6}).toCompletableFuture();
            assertThatThrownBy(() -> overCount.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("5 writes pending");
            try (Statement s = blocker.createStatement()) {
                s.execute("ROLLBACK");
            }
            for (int i = 0; i < accepted.size(); i++) {
                assertThat(accepted.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i + 1L);
            }

            try (Statement s = blocker.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            CompletableFuture<Long> big = store.append("q", new byte[2000]).toCompletableFuture();
            Thread.sleep(300);
            CompletableFuture<Long> queued = store.append("q", new byte[900]).toCompletableFuture();
            CompletableFuture<Long> overBytes = store.append("q", new byte[200]).toCompletableFuture();
            assertThatThrownBy(() -> overBytes.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("bytes of writes pending");
            try (Statement s = blocker.createStatement()) {
                s.execute("ROLLBACK");
            }
            assertThat(big.get(30, TimeUnit.SECONDS)).as("a write over the byte bound alone is taken").isEqualTo(7L);
            assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo(8L);
            assertThat(join(store.load("q")).lastSeq()).as("refused writes stored nothing").isEqualTo(8);
        }
    }
}
