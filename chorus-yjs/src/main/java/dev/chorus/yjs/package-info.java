/**
 * A Yjs-compatible CRDT core: {@link dev.chorus.yjs.Doc} with its shared types ({@link dev.chorus.yjs.YMap},
 * {@link dev.chorus.yjs.YArray}, {@link dev.chorus.yjs.YText}, XML types), the v1 update format, state
 * vectors and delete sets, byte-compatible with the npm {@code yjs} package 13.6.x.
 *
 * <p>Public classes are the API; the package-private classes ({@code Item}, the {@code Content*} kinds,
 * the update encoders and decoders, {@code StructStore}, ...) are internal and may change. They follow
 * the Yjs data model: every insertion is an {@code Item} identified by {@code (client, clock)}, integrated
 * with the YATA rules; deletions are kept as delete sets.
 */
package dev.chorus.yjs;
