package dev.chorus.server.config;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.DocumentStoreConfig;
import dev.chorus.core.documents.MemoryDocumentStore;
import dev.chorus.jdbc.PostgresDocumentStore;
import dev.chorus.jdbc.PostgresStoreConfig;
import dev.chorus.jdbc.SqliteDocumentStore;
import dev.chorus.jdbc.SqliteStoreConfig;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Where the server keeps collaborative documents ({@code documents.store}): SQLite under the data
 * directory (default), PostgreSQL shared by several nodes, or memory.
 */
public record StoreSettings(Kind kind, String postgresUrl, String postgresSchema, int maxUpdateSize, SqliteStoreConfig.Sync sqliteSync) {

    /** The kinds of store. */
    public enum Kind { SQLITE, POSTGRES, MEMORY }

    public static StoreSettings defaults() {
        return new StoreSettings(Kind.SQLITE, null, "public", 1024 * 1024, SqliteStoreConfig.Sync.FULL);
    }

    /** Opens the store (creating tables and the data directory as needed). */
    public DocumentStore open(Path dataDir) {
        DocumentStoreConfig limits = DocumentStoreConfig.builder().maxUpdateSize(maxUpdateSize).build();
        try {
            return switch (kind) {
                case MEMORY -> new MemoryDocumentStore(limits);
                case SQLITE -> SqliteDocumentStore.open(SqliteStoreConfig.builder(dataDir).limits(limits).sync(sqliteSync).build());
                case POSTGRES -> PostgresDocumentStore.open(PostgresStoreConfig.builder(postgresUrl).schema(postgresSchema).limits(limits).build());
            };
        } catch (SQLException e) {
            throw new ConfigException("documents: cannot open the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " store: " + e.getMessage(), e);
        }
    }
}
