package dev.chorus.core.documents;

import java.util.concurrent.CompletionStage;

/**
 * Keeps collaborative documents durably, each as an optional snapshot followed by a log of updates.
 * The store never interprets the bytes: the engine appends each Yjs update as it arrives and, when
 * a {@link CompactionPolicy} says so, merges snapshot and updates into a new snapshot itself
 * (chorus-yjs {@code Updates.mergeUpdates}) and hands it to {@link #compact}.
 *
 * <p>Contract (checked by {@code DocumentStoreContract} in {@code chorus-testkit}):
 * <ul>
 *   <li>A document is named by a string of 1 to {@value #MAX_NAME_LENGTH} characters that is not
 *       blank and holds no control character and no unpaired surrogate. A document exists from its
 *       first {@link #append} until {@link #delete}; loading a document that does not exist gives
 *       an empty {@link StoredDocument}.</li>
 *   <li>{@link #append} gives each update of a document the next sequence number: 1 for the first,
 *       then one more per update, without gaps, also across {@link #compact} and across restarts.
 *       Sequence numbers are decided by the store, and stay unique per document even when several
 *       processes append to it at once (for stores shared between processes).</li>
 *   <li>Appends to one document whose calls are ordered (one thread calling {@code append} twice,
 *       without waiting in between) get increasing sequence numbers in call order.</li>
 *   <li>An append's stage completes only once the update is durable (on disk, or committed to the
 *       database): after a crash of the process, every update whose stage completed is loaded
 *       again. Stores may group the appends that arrive within a few milliseconds into one commit.
 *       A failed stage means the update may or may not be stored; it is never stored twice.</li>
 *   <li>{@link #compact} atomically replaces the snapshot and the updates up to and including
 *       {@code upToSeq} with a new snapshot: a concurrent {@link #load} sees either the old state
 *       or the new one, and updates after {@code upToSeq} (also those appended meanwhile) are kept.
 *       Compacting to a position the stored snapshot already covers changes nothing.</li>
 *   <li>{@link #delete} removes the document; its next append starts again at sequence number 1.</li>
 *   <li>Bad input (a bad name, a {@code null} or empty update, an update over
 *       {@link DocumentStoreConfig#maxUpdateSize()}, a snapshot over
 *       {@link DocumentStoreConfig#maxSnapshotSize()}, a compaction past the last update) completes
 *       the stage exceptionally with an {@link IllegalArgumentException} saying what is wrong, and
 *       stores nothing. Methods never throw for bad input; they return a failed stage.</li>
 *   <li>After {@link #close} every call fails with an {@link IllegalStateException}.</li>
 *   <li>All methods are non-blocking and thread-safe; stages complete on any thread. Stores that do
 *       I/O do it on their own threads, never on the caller's.</li>
 *   <li>Byte arrays passed in may be reused by the caller once the call returns; arrays handed out
 *       belong to the caller.</li>
 * </ul>
 */
public interface DocumentStore extends AutoCloseable {

    /** Longest document name, in {@code char}s. */
    int MAX_NAME_LENGTH = 255;

    /**
     * Appends an update to a document, creating the document when it does not exist.
     *
     * @return the update's sequence number, once the update is durable
     */
    CompletionStage<Long> append(String doc, byte[] update);

    /** The document's snapshot and the updates after it, in sequence order. */
    CompletionStage<StoredDocument> load(String doc);

    /**
     * Replaces the snapshot and the updates up to and including {@code upToSeq} with
     * {@code snapshot}, which must hold the effect of all of them.
     *
     * @return {@code true} when the snapshot was stored; {@code false} when the stored snapshot
     *     already covers {@code upToSeq} (a repeated or stale compaction), and nothing changed
     */
    CompletionStage<Boolean> compact(String doc, byte[] snapshot, long upToSeq);

    /**
     * Removes the document, its snapshot and its updates.
     *
     * @return {@code true} when the document existed
     */
    CompletionStage<Boolean> delete(String doc);

    /**
     * Stops taking calls, finishes the ones already taken and releases resources. Idempotent.
     */
    @Override
    void close();
}
