/**
 * An error from the server (the numeric codes of docs/protocol.md) or from the client itself
 * (negative codes, below).
 */
export class ChorusError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChorusError';
  }
}

/** Client-side codes: the connection closed before the reply came (the request may or may not have run). */
export const DISCONNECTED = -1;
/** No reply within the request timeout. */
export const TIMEOUT = -2;
/** The operation is not possible in this state or over this transport (e.g. RPC over SSE). */
export const NOT_AVAILABLE = -3;
/** The client was closed with `disconnect()` or stopped by a final close code. */
export const CLOSED = -4;

/** Server error codes worth retrying: internal, too many requests, shutting down. */
export const RETRYABLE = new Set([100, 115, 118]);
