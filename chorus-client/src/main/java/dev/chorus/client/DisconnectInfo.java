package dev.chorus.client;

/**
 * Why a connection ended.
 *
 * @param code      the WebSocket close code (see {@code docs/protocol.md}); 1006 when the socket
 *                  broke without a close frame, or when the client gave up on a silent or
 *                  unanswered connection
 * @param reason    the close reason, possibly empty
 * @param reconnect whether the client is going to reconnect
 */
public record DisconnectInfo(int code, String reason, boolean reconnect) {
}
