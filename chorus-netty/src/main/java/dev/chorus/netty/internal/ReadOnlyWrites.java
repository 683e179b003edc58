package dev.chorus.netty.internal;

import dev.chorus.core.documents.DocumentHandle;
import dev.chorus.core.documents.YMessages;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.yjs.Updates;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Tells whether an update from a read-only client would change the document. Every client answers
 * the server's sync step 1 with a step 2, and a client that holds the whole document sends its
 * whole delete set in it: that is no write, and must not be refused (Hocuspocus acks it, so the
 * provider does not count it as unsaved). The update changes nothing when its structs are all
 * within the server's state vector and its deletions all within the server's delete set.
 */
final class ReadOnlyWrites {
    private ReadOnlyWrites() {
    }

    /**
     * Completes with {@code true} when applying {@code update} would change nothing; fails with a
     * {@link ProtocolException} (bad request) when it is malformed. The comparison runs on
     * {@code executor}.
     */
    static CompletionStage<Boolean> changesNothing(DocumentHandle handle, byte[] update, Executor executor) {
        if (YMessages.isEmptyUpdate(update)) {
            return CompletableFuture.completedFuture(true);
        }
        byte[] updateVector;
        try {
            updateVector = Updates.encodeStateVectorFromUpdate(update);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, "invalid Yjs update: " + e.getMessage()));
        }
        // the server's structs past the update's own, and the server's whole delete set
        return handle.stateVector().thenCombineAsync(handle.missing(updateVector), (serverVector, server) -> {
            try {
                byte[] without = Updates.diffUpdate(Updates.mergeUpdates(List.of(server)), serverVector);
                byte[] with = Updates.diffUpdate(Updates.mergeUpdates(List.of(server, update)), serverVector);
                return Arrays.equals(without, with);
            } catch (IllegalArgumentException e) {
                throw new CompletionException(new ProtocolException(ErrorCode.BAD_REQUEST, "invalid Yjs update: " + e.getMessage()));
            }
        }, executor);
    }
}
