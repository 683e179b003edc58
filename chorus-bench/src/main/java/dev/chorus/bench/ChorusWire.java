package dev.chorus.bench;

/** {@code chorus/1} in JSON text frames. */
final class ChorusWire implements WireProtocol {
    @Override
    public String name() {
        return "chorus";
    }

    @Override
    public String path() {
        return "/ws";
    }

    @Override
    public String subprotocol() {
        return "chorus.v1.json";
    }

    @Override
    public String hello(ClientState state) {
        return "{\"id\":" + (++state.requestId) + ",\"op\":\"connect\",\"name\":\"bench\"}";
    }

    @Override
    public boolean onOpenFrame(ClientState state, String frame, Sender out) {
        return frame.startsWith("{\"id\":") && frame.contains("\"result\"");
    }

    @Override
    public String subscribe(String channel, ClientState state) {
        state.channel = channel;
        if (state.epoch.isEmpty()) {
            return "{\"id\":" + (++state.requestId) + ",\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}";
        }
        return "{\"id\":" + (++state.requestId) + ",\"op\":\"subscribe\",\"channel\":\"" + channel
                + "\",\"since\":{\"offset\":" + state.lastOffset + ",\"epoch\":\"" + state.epoch + "\"}}";
    }

    private static final byte[] PUB = "{\"push\":\"pub\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "\"offset\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\"data\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] EPOCH = "\"epoch\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public boolean onDeliveryFrame(ClientState state, io.netty.buffer.ByteBuf frame, long[] ts) {
        if (!Bytes.startsWith(frame, PUB)) {
            return false;
        }
        long offset = Bytes.longAfter(frame, OFFSET, frame.readerIndex());
        if (offset > 0) {
            state.lastOffset = offset;
            if (state.epoch.isEmpty()) {
                int e = Bytes.indexOf(frame, EPOCH, frame.readerIndex());
                if (e >= 0) {
                    int from = e + EPOCH.length;
                    int end = frame.indexOf(from, frame.writerIndex(), (byte) '"');
                    state.epoch = frame.toString(from, end - from, java.nio.charset.StandardCharsets.US_ASCII);
                }
            }
        }
        int data = Bytes.indexOf(frame, DATA, frame.readerIndex());
        ts[0] = Bytes.longAfter(frame, Bytes.T, data);
        ts[1] = Bytes.longAfter(frame, Bytes.S, data);
        return true;
    }

    @Override
    public String publish(String channel, String json) {
        return "{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + json + "}";
    }

    @Override
    public void onFrame(ClientState state, String frame, Sender out, java.util.function.Consumer<String> deliveries) {
        if (frame.startsWith("{\"push\":\"pub\"")) {
            long offset = Strings.longAfter(frame, "\"offset\":", 0);
            if (offset > 0) {
                state.lastOffset = offset;
                if (state.epoch.isEmpty()) {
                    state.epoch = Strings.stringAfter(frame, "\"epoch\":\"");
                }
            }
            int data = frame.indexOf("\"data\":");
            if (data >= 0) {
                deliveries.accept(frame.substring(data + 7));
            }
            return;
        }
        if (frame.startsWith("{\"push\":\"ping\"")) {
            out.send("{\"op\":\"pong\"}");
            return;
        }
        if (frame.startsWith("{\"id\":") && frame.contains("\"recovering\"")) {
            // a subscribe reply: its position, and with recovery the missed publications
            state.recovered = frame.contains("\"recovered\":true");
            state.lastOffset = Strings.longAfter(frame, "\"offset\":", 0);
            state.epoch = Strings.stringAfter(frame, "\"epoch\":\"");
            // recovered publications (our payloads are flat objects: each ends at its first '}')
            int i = frame.indexOf("\"publications\":[{");
            while (i >= 0 && (i = frame.indexOf("\"data\":{", i)) >= 0) {
                int end = frame.indexOf('}', i);
                deliveries.accept(frame.substring(i + 7, end + 1));
                i = end;
            }
            state.subscribed = true;
        }
    }
}
