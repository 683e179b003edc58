package dev.chorus.bench;

/**
 * Socket.IO 4 over Engine.IO 4, WebSocket transport only: packets are a type digit and, for
 * events, {@code 42["event",args...]}. The peer server (peer/server.js) joins a room on
 * {@code join} and broadcasts {@code msg} to the room on {@code publish}. With connection state
 * recovery, each broadcast carries the offset as its last argument and a reconnecting client sends
 * {@code {"pid","offset"}} in its CONNECT packet.
 */
final class SocketIoWire implements WireProtocol {
    @Override
    public String name() {
        return "socket.io";
    }

    @Override
    public String path() {
        return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    public String subprotocol() {
        return null;
    }

    @Override
    public String hello(ClientState state) {
        return null; // the server speaks first with the Engine.IO OPEN packet
    }

    @Override
    public boolean onOpenFrame(ClientState state, String frame, Sender out) {
        if (frame.startsWith("0{")) {
            // Engine.IO OPEN: connect to the main namespace, asking for recovery when we can
            if (state.pid != null && state.lastSocketIoOffset != null) {
                out.send("40{\"pid\":\"" + state.pid + "\",\"offset\":\"" + state.lastSocketIoOffset + "\"}");
            } else {
                out.send("40");
            }
            return false;
        }
        if (frame.startsWith("40")) {
            // the session was recovered when the server kept our private id (as socket.io-client decides)
            String pid = Strings.stringAfter(frame, "\"pid\":\"");
            state.recovered = state.pid != null && state.pid.equals(pid);
            if (!pid.isEmpty()) {
                state.pid = pid;
            }
            return true;
        }
        return false;
    }

    @Override
    public String subscribe(String channel, ClientState state) {
        state.channel = channel;
        return "42[\"join\",\"" + channel + "\"]";
    }

    private static final byte[] MSG = "42[\"msg\",".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public boolean onDeliveryFrame(ClientState state, io.netty.buffer.ByteBuf frame, long[] ts) {
        if (!Bytes.startsWith(frame, MSG)) {
            return false;
        }
        int end = frame.writerIndex() - 1; // the closing ']'
        if (frame.getByte(end - 1) == '"') {
            // with recovery on, the offset is appended as a last string argument: ...},"<offset>"]
            int q = end - 2;
            while (q > frame.readerIndex() && frame.getByte(q) != '"') {
                q--;
            }
            state.lastSocketIoOffset = frame.toString(q + 1, end - 1 - (q + 1), java.nio.charset.StandardCharsets.US_ASCII);
        }
        ts[0] = Bytes.longAfter(frame, Bytes.T, frame.readerIndex());
        ts[1] = Bytes.longAfter(frame, Bytes.S, frame.readerIndex());
        return true;
    }

    @Override
    public String publish(String channel, String json) {
        return "42[\"publish\",\"" + channel + "\"," + json + "]";
    }

    @Override
    public void onFrame(ClientState state, String frame, Sender out, java.util.function.Consumer<String> deliveries) {
        if (frame.startsWith("42[\"msg\",")) {
            // with recovery on, the offset is appended as a last string argument: ...},"<offset>"]
            int end = frame.length() - 1;
            if (frame.charAt(end - 1) == '"') {
                int q = frame.lastIndexOf(",\"", end - 2);
                if (q > 0) {
                    state.lastSocketIoOffset = frame.substring(q + 2, end - 1);
                    end = q;
                }
            }
            deliveries.accept(frame.substring(9, end));
            return;
        }
        if (frame.equals("2")) {
            out.send("3");
            return;
        }
        if (frame.startsWith("42[\"joined\"")) {
            state.subscribed = true;
        }
    }
}
