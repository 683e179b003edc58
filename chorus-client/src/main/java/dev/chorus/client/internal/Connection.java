package dev.chorus.client.internal;

import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One WebSocket. The JDK calls the listener methods one at a time on its own threads; they only
 * assemble a message, hand a copy to the client thread and ask for the next one, so they never
 * block. Sending happens on the client thread through a queue, because the JDK WebSocket allows
 * one outstanding send at a time.
 */
final class Connection implements WebSocket.Listener {

    /** Receives what happens on a connection, on the client thread. */
    interface Handler {
        void onOpen(Connection c);

        void onFrame(Connection c, byte[] frame);

        /** The socket closed or broke (called at most once per connection). */
        void onClosed(Connection c, int code, String reason);
    }

    private final Executor clientThread;
    private final Handler handler;
    private volatile WebSocket ws;
    private Codec codec;

    // assembly: touched only by the JDK's sequential listener calls
    private StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    // client thread only
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private boolean sending;
    private boolean ended;

    Connection(Executor clientThread, Handler handler) {
        this.clientThread = clientThread;
        this.handler = handler;
    }

    /** Opens the socket; the handler hears of the outcome. */
    void open(HttpClient http, URI uri, Format format, Duration timeout) {
        try {
            http.newWebSocketBuilder().subprotocols(format.subprotocol()).connectTimeout(timeout).buildAsync(uri, this)
                    .whenComplete((socket, error) -> clientThread.execute(() -> {
                        if (error != null) {
                            closed(1006, "cannot open the WebSocket: " + rootMessage(error));
                        } else if (ended) {
                            socket.abort();
                        } else {
                            ws = socket;
                            String sub = socket.getSubprotocol();
                            Format negotiated = Format.forSubprotocol(sub);
                            // a server that picked no subprotocol speaks JSON
                            codec = Codec.forFormat(negotiated == null ? Format.JSON : negotiated);
                            handler.onOpen(this);
                        }
                    }));
        } catch (RuntimeException e) {
            clientThread.execute(() -> closed(1006, "cannot open the WebSocket: " + rootMessage(e)));
        }
    }

    Codec codec() {
        return codec;
    }

    /** Queues one frame (client thread). */
    void send(byte[] frame) {
        if (ended || ws == null) {
            return;
        }
        outbox.add(frame);
        pump();
    }

    private void pump() {
        if (sending || ended) {
            return;
        }
        byte[] next = outbox.poll();
        if (next == null) {
            return;
        }
        sending = true;
        CompletionStage<WebSocket> sent;
        try {
            sent = codec.format().binary() ? ws.sendBinary(ByteBuffer.wrap(next), true)
                    : ws.sendText(new String(next, StandardCharsets.UTF_8), true);
        } catch (RuntimeException e) {
            closed(1006, "send failed: " + rootMessage(e));
            return;
        }
        sent.whenComplete((w, error) -> clientThread.execute(() -> {
            sending = false;
            if (error != null) {
                closed(1006, "send failed: " + rootMessage(error));
            } else {
                pump();
            }
        }));
    }

    /**
     * Ends the connection from our side: a close frame when possible, and the socket is cut
     * shortly after in any case. The handler is not called.
     */
    void close(int code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        outbox.clear();
        WebSocket s = ws;
        if (s == null) {
            return;
        }
        try {
            s.sendClose(code, reason).whenComplete((w, e) -> s.abort());
        } catch (RuntimeException e) {
            s.abort();
        }
    }

    /** Cuts the socket at once, without a close frame. The handler is not called. */
    void abort() {
        ended = true;
        outbox.clear();
        WebSocket s = ws;
        if (s != null) {
            s.abort();
        }
    }

    private void closed(int code, String reason) {
        if (ended) {
            return;
        }
        abort();
        handler.onClosed(this, code, reason);
    }

    // ------------------------------------------------------------ JDK callbacks (not the client thread)

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            byte[] frame = text.toString().getBytes(StandardCharsets.UTF_8);
            text = new StringBuilder();
            deliver(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.write(chunk, 0, chunk.length);
        if (last) {
            byte[] frame = binary.toByteArray();
            binary.reset();
            deliver(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // the JDK answers with a pong itself; a ping is still a sign of life
        clientThread.execute(() -> {
            if (!ended) {
                handler.onFrame(this, null);
            }
        });
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        clientThread.execute(() -> closed(statusCode, reason == null ? "" : reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        clientThread.execute(() -> closed(1006, rootMessage(error)));
    }

    private void deliver(byte[] frame) {
        clientThread.execute(() -> {
            if (!ended) {
                handler.onFrame(this, frame);
            }
        });
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
