package dev.chorus.core.presence;

/** Number of clients and of distinct users present in a channel. */
public record PresenceStats(int clients, int users) {
}
