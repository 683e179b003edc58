/**
 * The Chorus engine and its embedding API. Start with {@link dev.chorus.core.Chorus#builder()}.
 */
package dev.chorus.core;
