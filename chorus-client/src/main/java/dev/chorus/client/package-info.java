/**
 * The Java client of Chorus: one {@link dev.chorus.client.ChorusClient} per connection carries
 * channels ({@link dev.chorus.client.ClientSubscription}), presence, signals, publications, RPC
 * and Yjs documents ({@link dev.chorus.client.DocumentHandle}) over one WebSocket speaking
 * {@code chorus/1}.
 *
 * <p>The API never blocks: operations return {@link java.util.concurrent.CompletableFuture}s and
 * events arrive through listener interfaces (each with an empty adapter class to extend). All
 * client state lives on one client thread; futures complete and listeners are called there, so a
 * listener must not block (hand long work to an executor of your own).
 *
 * <p>Guarantees (see {@code docs/clients/java.md}): after a reconnect every subscription is
 * resubscribed from its last position and either receives exactly the publications it missed, in
 * order and once, or is told to resync with
 * {@link dev.chorus.client.SubscriptionListener#onResync}; every publish carries an idempotency key
 * and is retried with that same key until the server confirms it, so it is stored once.
 */
package dev.chorus.client;
