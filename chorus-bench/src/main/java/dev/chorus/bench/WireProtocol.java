package dev.chorus.bench;

/**
 * What the load generator says to a server, in that server's own wire format, so that the client
 * side costs the same for every server: frames are built from strings and read by string search,
 * never through a full JSON parse on the hot path.
 */
interface WireProtocol {

    /** A short name for reports. */
    String name();

    /** The WebSocket path and query to connect to. */
    String path();

    /** The WebSocket subprotocol to ask for, or {@code null}. */
    String subprotocol();

    /** Frames to send right after the WebSocket opens (the server may speak first: see {@link #onOpenFrame}). */
    String hello(ClientState state);

    /**
     * Handles a handshake frame before the session is established; returns true once it is.
     * Frames it does not consume are passed to {@link #onFrame} as well (Socket.IO replays missed
     * packets before its CONNECT acknowledgement).
     */
    boolean onOpenFrame(ClientState state, String frame, Sender out);

    /** The frame that subscribes to a channel (join a room). */
    String subscribe(String channel, ClientState state);

    /** The frame that publishes {@code json} to a channel, fire-and-forget. */
    String publish(String channel, String json);

    /**
     * Handles one frame of an established session: answers heartbeats through {@code out} and
     * hands the data of every message it carries to {@code deliveries} (a subscribe reply may
     * carry many recovered ones).
     */
    void onFrame(ClientState state, String frame, Sender out, java.util.function.Consumer<String> deliveries);

    /**
     * The hot path: when {@code frame} is a delivered message, reads its time and sequence number
     * into {@code ts} (and keeps what recovery needs) without decoding the frame into a String,
     * and returns true. Other frames go to {@link #onFrame}.
     */
    boolean onDeliveryFrame(ClientState state, io.netty.buffer.ByteBuf frame, long[] ts);

    /** Sends a frame back on the connection. */
    interface Sender {
        void send(String frame);
    }
}
