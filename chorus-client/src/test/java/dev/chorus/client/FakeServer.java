package dev.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A scripted WebSocket server (RFC 6455 written out by hand, enough for the client): each
 * connection runs the script on a thread of its own, which reads the client's frames and sends
 * whatever it likes, malformed frames and close codes included.
 */
final class FakeServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final ServerSocket listener;
    final List<Peer> peers = new CopyOnWriteArrayList<>();

    FakeServer(Consumer<Peer> script) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    return;
                }
                Thread run = new Thread(() -> {
                    try {
                        Peer p = new Peer(s);
                        peers.add(p);
                        script.accept(p);
                    } catch (Exception e) {
                        // the script ends with the connection
                    }
                }, "fake-peer");
                run.setDaemon(true);
                run.start();
            }
        }, "fake-accept");
        t.setDaemon(true);
        t.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Peer p : peers) {
            p.drop();
        }
    }

    /** One client connection. */
    static final class Peer {
        private final Socket socket;
        private final OutputStream out;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        volatile int closeCodeFromClient = -1;

        Peer(Socket socket) throws Exception {
            this.socket = socket;
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String key = null;
            String protocol = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                String lower = line.toLowerCase();
                if (lower.startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                } else if (lower.startsWith("sec-websocket-protocol:")) {
                    protocol = line.substring(line.indexOf(':') + 1).trim().split(",")[0].trim();
                }
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
            out = socket.getOutputStream();
            String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n" + (protocol != null ? "Sec-WebSocket-Protocol: " + protocol + "\r\n" : "") + "\r\n";
            synchronized (this) {
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            // the handshake reader buffered nothing beyond the headers: the client waits for our 101 before sending
            DataInputStream frames = new DataInputStream(socket.getInputStream());
            Thread reader = new Thread(() -> readFrames(frames), "fake-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void readFrames(DataInputStream in) {
            try {
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
                    byte[] data = new byte[(int) len];
                    in.readFully(data);
                    for (int i = 0; i < data.length; i++) {
                        data[i] ^= mask[i & 3];
                    }
                    if (opcode == 1) {
                        received.add(new String(data, StandardCharsets.UTF_8));
                    } else if (opcode == 8) {
                        closeCodeFromClient = data.length >= 2 ? ((data[0] & 0xff) << 8) | (data[1] & 0xff) : 1005;
                        drop();
                        return;
                    } else if (opcode == 9) {
                        frame(0xA, data);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        /** The next text frame from the client, parsed, or fails after 5 s. */
        JsonNode next() throws Exception {
            String s = received.poll(5, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("the client sent nothing within 5 s");
            }
            return JSON.readTree(s);
        }

        /** Reads the client's next request, which must be {@code op}, and returns it. */
        JsonNode expect(String op) throws Exception {
            JsonNode n = next();
            while (n.path("op").asText().equals("pong")) {
                n = next();
            }
            if (!n.path("op").asText().equals(op)) {
                throw new AssertionError("expected " + op + " but got " + n);
            }
            return n;
        }

        /** Answers the client's connect with a result built from {@code extra} fields. */
        JsonNode acceptConnect(String extra) throws Exception {
            JsonNode c = expect("connect");
            text("{\"id\":" + c.get("id").asLong() + ",\"result\":{\"client\":\"fake-" + System.nanoTime() + "\",\"user\":\"\",\"ping\":10,\"timeout\":30"
                    + (extra.isEmpty() ? "" : "," + extra) + "}}");
            return c;
        }

        void reply(JsonNode request, String result) throws IOException {
            text("{\"id\":" + request.get("id").asLong() + ",\"result\":" + result + "}");
        }

        void text(String s) throws IOException {
            frame(0x1, s.getBytes(StandardCharsets.UTF_8));
        }

        void binary(byte[] b) throws IOException {
            frame(0x2, b);
        }

        void close(int code, String reason) throws IOException {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[2 + r.length];
            body[0] = (byte) (code >> 8);
            body[1] = (byte) code;
            System.arraycopy(r, 0, body, 2, r.length);
            frame(0x8, body);
        }

        synchronized void frame(int opcode, byte[] data) throws IOException {
            out.write(0x80 | opcode);
            if (data.length < 126) {
                out.write(data.length);
            } else if (data.length < 65536) {
                out.write(126);
                out.write(data.length >> 8);
                out.write(data.length);
            } else {
                out.write(127);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) ((long) data.length >> (8 * i)));
                }
            }
            out.write(data);
            out.flush();
        }

        void drop() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
