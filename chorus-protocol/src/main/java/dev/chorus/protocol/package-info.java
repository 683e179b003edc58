/**
 * The {@code chorus/1} wire protocol: frames as immutable records, error and close codes, and the
 * {@link dev.chorus.protocol.Codec} that turns frames into JSON text or MessagePack binary frames.
 *
 * <p>Three kinds of frames travel over a connection:
 * <ul>
 *   <li>{@link dev.chorus.protocol.Request}: client to server, with an {@code id} (except
 *       {@code pong}) and an {@code op};</li>
 *   <li>{@link dev.chorus.protocol.Reply}: server to client, answering the request with the same id,
 *       either a result or an {@link dev.chorus.protocol.ErrorCode error};</li>
 *   <li>{@link dev.chorus.protocol.Push}: server to client, without id (publications, joins,
 *       leaves, presence changes, signals, pings, ...).</li>
 * </ul>
 * The full description with examples is {@code docs/protocol.md}.
 */
package dev.chorus.protocol;
