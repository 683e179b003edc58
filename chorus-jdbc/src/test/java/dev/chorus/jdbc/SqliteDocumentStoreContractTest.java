package dev.chorus.jdbc;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.DocumentStoreConfig;
import dev.chorus.testkit.DocumentStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteDocumentStoreContractTest extends DocumentStoreContract {
    @TempDir
    Path dir;

    @Override
    protected DocumentStore createStore(DocumentStoreConfig config) throws Exception {
        return SqliteDocumentStore.open(SqliteStoreConfig.builder(dir).limits(config).build());
    }

    @Override
    protected DocumentStore reopen(DocumentStoreConfig config) throws Exception {
        return createStore(config);
    }
}
