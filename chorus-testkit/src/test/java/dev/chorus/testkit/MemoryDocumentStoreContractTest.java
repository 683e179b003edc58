package dev.chorus.testkit;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.DocumentStoreConfig;
import dev.chorus.core.documents.MemoryDocumentStore;

class MemoryDocumentStoreContractTest extends DocumentStoreContract {
    @Override
    protected DocumentStore createStore(DocumentStoreConfig config) {
        return new MemoryDocumentStore(config);
    }
}
