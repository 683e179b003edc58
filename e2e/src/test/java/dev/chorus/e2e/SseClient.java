package dev.chorus.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client over a raw socket that behaves like a browser {@code EventSource}:
 * it parses the stream by the WHATWG rules (fields, comments, blank-line dispatch, last event id
 * kept across events without id) and can reopen with {@code Last-Event-ID} as a browser does.
 */
final class SseClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** One dispatched event; {@code name} is "message" for unnamed events, {@code lastId} the stream's id after it. */
    record Event(String name, String lastId, boolean hadId, String data) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    final int status;
    final Map<String, String> headers;
    /** The body of a non-200 answer. */
    final String body;
    private final Socket socket;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<String> comments = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger heartbeats = new AtomicInteger();
    volatile long retry = -1;
    volatile String lastEventId = "";
    volatile boolean ended;
    private final Thread reader;

    private SseClient(Socket socket, int status, Map<String, String> headers, String body, InputStream in, boolean chunked) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
        if (status == 200) {
            reader = new Thread(() -> read(in, chunked), "sse-client");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
        }
    }

    /** Opens {@code GET pathAndQuery} with extra request headers (e.g. Last-Event-ID, Origin, Cookie). */
    static SseClient open(int port, String pathAndQuery, Map<String, String> extra) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout((int) WAIT.toMillis() * 3);
            StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n");
            extra.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 64 * 1024);
            String statusLine = line(in);
            if (statusLine == null) {
                throw new AssertionError("no HTTP answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while ((h = line(in)) != null && !h.isEmpty()) {
                int c = h.indexOf(':');
                headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
            }
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            String body = null;
            if (status != 200) {
                int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                body = new String(in.readNBytes(len), StandardCharsets.UTF_8);
            }
            return new SseClient(s, status, headers, body, in, chunked);
        } catch (IOException e) {
            throw new AssertionError("cannot open " + pathAndQuery, e);
        }
    }

    static SseClient open(int port, String pathAndQuery) {
        return open(port, pathAndQuery, Map.of());
    }

    /** Opens the same URL again with the last event id, as a browser EventSource reconnects. */
    SseClient reconnect(int port, String pathAndQuery) {
        close();
        return open(port, pathAndQuery, lastEventId.isEmpty() ? Map.of() : Map.of("Last-Event-ID", lastEventId));
    }

    JsonNode errorJson() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The next event, failing after {@link #WAIT}. */
    Event next() {
        try {
            Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no SSE event within " + WAIT + " (ended: " + ended + ")");
            }
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next event, or null when none comes within {@code wait}. */
    Event poll(Duration wait) {
        try {
            return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Events until one named {@code name} (inclusive). */
    List<Event> until(String name) {
        List<Event> out = new ArrayList<>();
        Event e;
        do {
            e = next();
            out.add(e);
        } while (!e.name().equals(name));
        return out;
    }

    /** The next {@code n} unnamed events, failing on any named one in between. */
    List<Event> messages(int n) {
        List<Event> out = new ArrayList<>();
        while (out.size() < n) {
            Event e = next();
            if (!e.name().equals("message")) {
                throw new AssertionError("expected a publication, got " + e);
            }
            out.add(e);
        }
        return out;
    }

    private void read(InputStream in, boolean chunked) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String eventType = "";
        StringBuilder data = new StringBuilder();
        boolean hadId = false;
        String idBuffer = "";
        try {
            InputStream body = chunked ? new ChunkedInput(in) : in;
            int b;
            boolean lastCr = false;
            while ((b = body.read()) >= 0) {
                if (b == '\n' && lastCr) {
                    lastCr = false;
                    continue;
                }
                lastCr = b == '\r';
                if (b != '\n' && b != '\r') {
                    line.write(b);
                    continue;
                }
                String l = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (l.isEmpty()) {
                    // as a browser: the id applies when the event is dispatched, even one without data
                    lastEventId = idBuffer;
                    if (data.length() > 0) {
                        String d = data.substring(0, data.length() - 1);
                        events.add(new Event(eventType.isEmpty() ? "message" : eventType, lastEventId, hadId, d));
                    }
                    eventType = "";
                    data.setLength(0);
                    hadId = false;
                    continue;
                }
                if (l.startsWith(":")) {
                    comments.add(l);
                    if (l.equals(": ping")) {
                        heartbeats.incrementAndGet();
                    }
                    continue;
                }
                int c = l.indexOf(':');
                String field = c < 0 ? l : l.substring(0, c);
                String value = c < 0 ? "" : l.substring(c + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> eventType = value;
                    case "data" -> data.append(value).append('\n');
                    case "id" -> {
                        if (!value.contains("\0")) {
                            idBuffer = value;
                            hadId = true;
                        }
                    }
                    case "retry" -> retry = Long.parseLong(value);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    /** Decodes HTTP/1.1 chunked transfer coding; EOF at the last chunk. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size == null) {
                    done = true;
                    return -1;
                }
                if (size.isEmpty()) {
                    size = line(in);
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                left = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) {
                done = true;
                return -1;
            }
            left--;
            if (left == 0) {
                // the CRLF after the chunk
                in.read();
                in.read();
            }
            return b;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    boolean isClosedByServer(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (ended) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return ended;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
