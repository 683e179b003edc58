/**
 * The y-protocols messages: document sync (step 1, step 2, update) and awareness (presence states with
 * per-client clocks, the 30 s timeout and removal), byte-compatible with the npm {@code y-protocols}
 * package. These are message bodies; transports add their own framing (e.g. y-websocket's message type).
 */
package dev.chorus.yjs.protocol;
