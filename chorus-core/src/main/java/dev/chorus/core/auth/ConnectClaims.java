package dev.chorus.core.auth;

import java.time.Instant;

/**
 * What a verified connection token says.
 *
 * @param user        {@code sub}: the user id, never blank
 * @param expiresAt   {@code exp}, or {@code null} when the token does not expire
 * @param permissions the {@code channels} claim, or {@code null} when the token has none
 * @param infoJson    the {@code info} claim as compact JSON (an object), or {@code null}
 */
public record ConnectClaims(String user, Instant expiresAt, ChannelPermissions permissions, String infoJson) {
}
