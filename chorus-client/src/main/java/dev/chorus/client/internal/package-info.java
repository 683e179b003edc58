/**
 * Internal: the implementation behind {@link dev.chorus.client.ChorusClient}. Not an API; it may
 * change in any release.
 *
 * <p>Everything here but {@link dev.chorus.client.internal.Connection}'s WebSocket callbacks runs
 * on the client's single thread, so no class holds a lock; the callbacks only copy a frame and hand
 * it to that thread.
 */
package dev.chorus.client.internal;
