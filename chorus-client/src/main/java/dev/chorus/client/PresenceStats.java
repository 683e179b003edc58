package dev.chorus.client;

/** How many clients and distinct users are present in a channel. */
public record PresenceStats(int clients, int users) {
}
