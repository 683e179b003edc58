/**
 * The {@link dev.chorus.core.presence.PresenceStore} SPI (who is in a channel, with what state) and
 * its single-node {@link dev.chorus.core.presence.MemoryPresenceStore}.
 */
package dev.chorus.core.presence;
