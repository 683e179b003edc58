package dev.chorus.core.documents;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Connects a document's Yjs awareness with the presence of its channel
 * ({@link DocumentHub#channelFor}): the engine implements it. Calls come from the document's lane
 * and must not block.
 */
public interface AwarenessBridge {

    /** What happened to one Yjs client's awareness state. */
    enum Change { JOIN, UPDATE, REFRESH, LEAVE }

    /**
     * A Yjs client's awareness state changed.
     *
     * @param awarenessClient the Yjs client id
     * @param user            the user of the connection that announced it ({@code ""} when anonymous)
     * @param stateJson       the state as compact JSON ({@code null} on {@link Change#LEAVE})
     * @param clock           the awareness clock
     */
    void awarenessChanged(String document, long awarenessClient, String user, Change change, String stateJson, long clock);

    /** Presence states native clients have set in the document's channel, to show in awareness when it loads. */
    CompletionStage<List<NativeState>> nativeStates(String document);

    /** A native client's presence state. */
    record NativeState(String client, String stateJson, long clock) {
    }

    /** A bridge to nowhere (no presence). */
    AwarenessBridge NONE = new AwarenessBridge() {
        @Override
        public void awarenessChanged(String document, long awarenessClient, String user, Change change, String stateJson, long clock) {
        }

        @Override
        public CompletionStage<List<NativeState>> nativeStates(String document) {
            return CompletableFuture.completedFuture(List.of());
        }
    };

    /**
     * The awareness client id that stands for a native client: above the 32-bit range Yjs clients
     * use, below 2^53 so JavaScript reads it exactly.
     */
    static long awarenessIdOf(String nativeClient) {
        long h = 1125899906842597L;
        for (int i = 0; i < nativeClient.length(); i++) {
            h = 31 * h + nativeClient.charAt(i);
        }
        return (1L << 32) + Math.floorMod(h, (1L << 53) - (1L << 32));
    }
}
