package dev.chorus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection RFC 6455 server on 127.0.0.1, just enough to drive {@link TestClient} from the
 * server side: it answers the handshake (echoing the first requested subprotocol), hands the
 * client's messages to the test, and sends frames exactly as the test asks, fragmented or not.
 */
final class MiniWebSocketServer implements AutoCloseable {
    /** A message from the client: text or binary, or a close with its code. */
    record Message(boolean text, byte[] data, int closeCode) {
        String asText() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket listener;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile Map<String, String> handshakeHeaders = Map.of();
    private final Thread acceptor;

    MiniWebSocketServer() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "mini-ws");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    /** The request headers of the handshake, lower-cased names. */
    Map<String, String> handshakeHeaders() {
        return handshakeHeaders;
    }

    Message next() throws InterruptedException {
        Message m = received.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("the client sent nothing within 10 s");
        }
        return m;
    }

    private void serve() {
        try {
            Socket s = listener.accept();
            socket = s;
            InputStream in = s.getInputStream();
            Map<String, String> headers = readHeaders(in);
            handshakeHeaders = headers;
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((headers.get("sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Accept: ").append(accept).append("\r\n");
            String protocols = headers.get("sec-websocket-protocol");
            if (protocols != null) {
                response.append("Sec-WebSocket-Protocol: ").append(protocols.split(",")[0].trim()).append("\r\n");
            }
            response.append("\r\n");
            OutputStream o = s.getOutputStream();
            o.write(response.toString().getBytes(StandardCharsets.US_ASCII));
            o.flush();
            // published only now, so no frame can precede the handshake response
            out = o;
            readFrames(new DataInputStream(in));
        } catch (Exception e) {
            // the test closed the server or the client went away
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("handshake cut short");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Map<String, String> headers = new HashMap<>();
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private void readFrames(DataInputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean text = false;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            int opcode = b0 & 0x0f;
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            if (opcode == 8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                received.add(new Message(false, payload, code));
                // answer like a real server, so the client's close completes without waiting
                synchronized (this) {
                    writeFrame(0x88, payload, 0, Math.min(payload.length, 2));
                    out.flush();
                }
                return;
            }
            if (opcode == 9 || opcode == 10) {
                continue;
            }
            if (opcode != 0) {
                text = opcode == 1;
            }
            message.write(payload);
            if ((b0 & 0x80) != 0) {
                received.add(new Message(text, message.toByteArray(), 0));
                message.reset();
            }
        }
    }

    /** Sends a text message split into {@code fragments} frames (cut at byte boundaries). */
    void sendText(String text, int fragments) throws IOException {
        send(1, text.getBytes(StandardCharsets.UTF_8), fragments);
    }

    void sendBinary(byte[] data, int fragments) throws IOException {
        send(2, data, fragments);
    }

    void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        send(8, payload, 1);
    }

    private void send(int opcode, byte[] data, int fragments) throws IOException {
        awaitHandshake();
        synchronized (this) {
            sendFrames(opcode, data, fragments);
        }
    }

    private void sendFrames(int opcode, byte[] data, int fragments) throws IOException {
        int step = Math.max(1, (data.length + fragments - 1) / fragments);
        int pos = 0;
        boolean first = true;
        do {
            int n = Math.min(step, data.length - pos);
            boolean fin = pos + n >= data.length;
            writeFrame((fin ? 0x80 : 0) | (first ? opcode : 0), data, pos, n);
            pos += n;
            first = false;
        } while (pos < data.length);
        out.flush();
    }

    private void writeFrame(int b0, byte[] data, int off, int len) throws IOException {
        out.write(b0);
        if (len < 126) {
            out.write(len);
        } else if (len < 65536) {
            out.write(126);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) len >> (8 * i)));
            }
        }
        out.write(data, off, len);
    }

    private void awaitHandshake() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out == null) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no client connected");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
    }
}
