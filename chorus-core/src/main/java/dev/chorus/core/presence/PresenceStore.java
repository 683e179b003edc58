package dev.chorus.core.presence;

import dev.chorus.protocol.ClientInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Keeps who is present in each channel. Nodes put their clients' entries and refresh them while
 * the clients are alive, so entries of a crashed node expire by themselves.
 *
 * <p>Contract (checked by {@code PresenceStoreContract} in {@code chorus-testkit}):
 * <ul>
 *   <li>{@link #put} is last-writer-wins per (channel, client) by {@link ClientInfo#clock()}: an
 *       entry with a lower clock than the stored one is ignored; an equal clock refreshes the
 *       expiry and replaces the entry.</li>
 *   <li>An entry not put again within its {@code ttl} disappears from {@link #get} and
 *       {@link #stats}.</li>
 *   <li>{@link #stats} counts clients and distinct user ids, consistent with {@link #get}.</li>
 *   <li>All methods are non-blocking and thread-safe.</li>
 * </ul>
 */
public interface PresenceStore extends AutoCloseable {

    /**
     * Adds or updates a client's entry.
     *
     * @return {@code true} when the entry was stored, {@code false} when a newer clock was kept
     */
    CompletionStage<Boolean> put(String channel, ClientInfo info, Duration ttl);

    /** Removes a client's entry; {@code true} when there was one. */
    CompletionStage<Boolean> remove(String channel, String clientId);

    /** The entries present now, by client id. */
    CompletionStage<Map<String, ClientInfo>> get(String channel);

    /** Counts of the entries present now. */
    CompletionStage<PresenceStats> stats(String channel);

    @Override
    void close();
}
