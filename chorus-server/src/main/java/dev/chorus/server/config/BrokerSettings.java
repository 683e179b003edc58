package dev.chorus.server.config;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.MemoryBroker;
import dev.chorus.core.presence.MemoryPresenceStore;
import dev.chorus.core.presence.PresenceStore;
import dev.chorus.nats.NatsBroker;
import dev.chorus.nats.NatsConfig;
import dev.chorus.nats.NatsPresenceStore;
import dev.chorus.redis.RedisBroker;
import dev.chorus.redis.RedisConfig;
import dev.chorus.redis.RedisPresenceStore;
import java.util.Locale;

/**
 * Which broker and presence store the node uses ({@code broker: memory | redis | nats}): memory for
 * one node; Redis or NATS (with JetStream) when several nodes form a cluster.
 */
public record BrokerSettings(Kind kind, String redisUrl, String redisPrefix, String natsUrl, String natsPrefix) {

    /** The kinds of broker. */
    public enum Kind { MEMORY, REDIS, NATS }

    public static BrokerSettings defaults() {
        return new BrokerSettings(Kind.MEMORY, "redis://127.0.0.1:6379", "chorus:", "nats://127.0.0.1:4222", "chorus");
    }

    /** The broker and presence store, connected (the broker starts with the node). */
    public record Backends(Broker broker, PresenceStore presence) {
    }

    public Backends open() {
        try {
            return switch (kind) {
                case MEMORY -> new Backends(new MemoryBroker(), new MemoryPresenceStore());
                case REDIS -> {
                    RedisConfig rc = RedisConfig.builder().uri(redisUrl).keyPrefix(redisPrefix).build();
                    yield new Backends(RedisBroker.create(rc), RedisPresenceStore.create(rc));
                }
                case NATS -> {
                    NatsConfig nc = NatsConfig.builder().url(natsUrl).prefix(natsPrefix).build();
                    yield new Backends(NatsBroker.create(nc), NatsPresenceStore.create(nc));
                }
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException(kind.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(), e);
        }
    }

    /** For the log: where the broker is, without credentials. */
    public String describe() {
        return switch (kind) {
            case MEMORY -> "memory (one node)";
            case REDIS -> "Redis " + redisUrl.replaceAll("//[^@/]*@", "//***@") + " (prefix " + redisPrefix + ")";
            case NATS -> "NATS " + natsUrl.replaceAll("//[^@/]*@", "//***@") + " (prefix " + natsPrefix + ")";
        };
    }
}
