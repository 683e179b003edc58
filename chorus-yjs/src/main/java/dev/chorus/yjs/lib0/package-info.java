/**
 * The lib0 binary codec used by Yjs: variable-length integers (53-bit, like JavaScript numbers),
 * UTF-8 strings with JavaScript's treatment of lone surrogates, the self-describing {@code any}
 * encoding, big-endian floats and 64-bit bigints, plus the run-length encoders of the v2 update format.
 *
 * <p>JavaScript values are modelled as: {@code null}, {@link dev.chorus.yjs.lib0.Undefined#INSTANCE},
 * {@link java.lang.Boolean}, {@link java.lang.Double} (every JS number), {@link java.lang.String},
 * {@code byte[]} (Uint8Array), {@link java.math.BigInteger} (bigint), {@link java.util.List}
 * (arrays) and {@link java.util.Map} with string keys (objects, insertion ordered).
 */
package dev.chorus.yjs.lib0;
