/**
 * Redis backends for a Chorus cluster (Lettuce): {@link dev.chorus.redis.RedisBroker} (history in
 * Redis Streams, offsets and epochs beside them, fan-out over sharded or classic Pub/Sub) and
 * {@link dev.chorus.redis.RedisPresenceStore} (presence hashes with per-entry expiry), configured
 * by {@link dev.chorus.redis.RedisConfig}.
 */
package dev.chorus.redis;
