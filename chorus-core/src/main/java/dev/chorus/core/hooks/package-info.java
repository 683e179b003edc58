/**
 * Application hooks of the embedding API: decide on connects, subscribes and publishes, and serve
 * RPC methods. Hooks run on the hook executor (never on network threads), so they may block; a
 * hook refuses by throwing {@link dev.chorus.core.hooks.HookRejection}.
 */
package dev.chorus.core.hooks;
