package dev.chorus.jdbc;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.DocumentStoreConfig;
import dev.chorus.testkit.DocumentStoreContract;
import org.junit.jupiter.api.AfterAll;

class PostgresDocumentStoreContractTest extends DocumentStoreContract {
    private static final String SCHEMA = PostgresTestDatabase.newSchema();

    @AfterAll
    static void dropSchema() throws Exception {
        PostgresTestDatabase.dropSchema(SCHEMA);
    }

    @Override
    protected DocumentStore createStore(DocumentStoreConfig config) throws Exception {
        PostgresTestDatabase.requireReachable(); // per test, so that each one shows as skipped
        return PostgresDocumentStore.open(PostgresTestDatabase.config(SCHEMA).limits(config).build());
    }

    @Override
    protected DocumentStore reopen(DocumentStoreConfig config) throws Exception {
        return createStore(config);
    }
}
