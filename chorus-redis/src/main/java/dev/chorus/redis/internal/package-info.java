/**
 * Internal: key names, Lua scripts, the wire format between nodes and the Lettuce set-up shared by
 * {@link dev.chorus.redis.RedisBroker} and {@link dev.chorus.redis.RedisPresenceStore}. Not an API;
 * may change in any release.
 */
package dev.chorus.redis.internal;
