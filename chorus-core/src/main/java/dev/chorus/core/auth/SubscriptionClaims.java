package dev.chorus.core.auth;

import java.time.Instant;

/**
 * What a verified subscription token says.
 *
 * @param user      {@code sub}: equal to the connection's user
 * @param channel   {@code channel}: equal to the channel subscribed to
 * @param expiresAt {@code exp}, or {@code null} when the token does not expire
 * @param infoJson  the {@code info} claim as compact JSON (an object), or {@code null}
 */
public record SubscriptionClaims(String user, String channel, Instant expiresAt, String infoJson) {
}
