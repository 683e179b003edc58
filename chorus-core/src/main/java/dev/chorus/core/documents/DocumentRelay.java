package dev.chorus.core.documents;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries a document's updates and awareness between the nodes that hold it (over the broker);
 * the engine implements it. On one node it may do nothing. Calls come from the document's lane and
 * must not block.
 */
public interface DocumentRelay {

    /** Starts receiving the document's messages from other nodes (it was loaded here). */
    CompletionStage<Void> join(String document);

    /** Stops receiving them (the document unloaded here). */
    void leave(String document);

    /** An update this node stored (durable): the other nodes apply it and send it to their peers. */
    void stored(String document, byte[] update);

    /** An awareness update from one of this node's peers. */
    void awareness(String document, byte[] update);

    /** A relay for a single node. */
    DocumentRelay NONE = new DocumentRelay() {
        @Override
        public CompletionStage<Void> join(String document) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void leave(String document) {
        }

        @Override
        public void stored(String document, byte[] update) {
        }

        @Override
        public void awareness(String document, byte[] update) {
        }
    };
}
