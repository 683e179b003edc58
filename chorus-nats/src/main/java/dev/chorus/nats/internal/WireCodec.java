package dev.chorus.nats.internal;

import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary encoding of what nodes exchange over NATS: publications (the same bytes are stored in
 * the history stream and sent on the fan-out subject), channel events, and presence entries.
 *
 * <pre>
 * frame    = version:u8(1) tag:u8 body
 * P (pub)  = epoch:str offset:i64 time:i64 data:bytes hasInfo:u8 [info]
 * J/L/C    = info                       (join, leave, presence change)
 * S        = key:str data:bytes info    (signal)
 * E        = expiresAt:i64 info         (presence entry)
 * info     = client:str user:str connInfo:opt state:opt clock:i64
 * str      = len:i32 utf8, bytes = len:i32 json-utf8, opt = u8(0) | u8(1) bytes
 * </pre>
 *
 * JSON values travel as their compact text and are parsed again on decode, so a frame whose JSON
 * is broken is refused like any other malformed frame. Decoding never trusts a length: every one
 * is checked against what is left.
 */
public final class WireCodec {
    static final byte VERSION = 1;
    static final byte PUB = 'P';
    static final byte JOIN = 'J';
    static final byte LEAVE = 'L';
    static final byte CHANGE = 'C';
    static final byte SIGNAL = 'S';
    static final byte ENTRY = 'E';

    private WireCodec() {
    }

    /** A decoded frame: exactly one of the fields is set (entry frames decode with {@link #decodeEntry}). */
    public record Frame(Publication publication, ChannelEvent event) {
    }

    /** A presence entry with its expiry (writer's clock, ms since the Unix epoch). */
    public record Entry(long expiresAt, ClientInfo info) {
    }

    public static byte[] encodePublication(Publication p) {
        return write(out -> {
            out.writeByte(PUB);
            str(out, p.epoch());
            out.writeLong(p.offset());
            out.writeLong(p.time());
            bytes(out, p.data().json());
            out.writeByte(p.info() == null ? 0 : 1);
            if (p.info() != null) {
                info(out, p.info());
            }
        });
    }

    public static byte[] encodeEvent(ChannelEvent e) {
        return write(out -> {
            if (e instanceof ChannelEvent.Join j) {
                out.writeByte(JOIN);
                info(out, j.info());
            } else if (e instanceof ChannelEvent.Leave l) {
                out.writeByte(LEAVE);
                info(out, l.info());
            } else if (e instanceof ChannelEvent.PresenceChange c) {
                out.writeByte(CHANGE);
                info(out, c.info());
            } else if (e instanceof ChannelEvent.Signal s) {
                out.writeByte(SIGNAL);
                str(out, s.key());
                bytes(out, s.data().json());
                info(out, s.info());
            } else {
                throw new IllegalArgumentException("unknown event " + e);
            }
        });
    }

    public static byte[] encodeEntry(Entry entry) {
        return write(out -> {
            out.writeByte(ENTRY);
            out.writeLong(entry.expiresAt());
            info(out, entry.info());
        });
    }

    /**
     * Decodes a publication or event frame.
     *
     * @throws MalformedMessageException when the bytes are not such a frame
     */
    public static Frame decode(byte[] bytes) {
        ByteBuffer in = open(bytes);
        try {
            byte tag = in.get();
            Frame f = switch (tag) {
                case PUB -> {
                    String epoch = str(in);
                    long offset = in.getLong();
                    long time = in.getLong();
                    Payload data = json(in);
                    byte hasInfo = in.get();
                    ClientInfo info = switch (hasInfo) {
                        case 0 -> null;
                        case 1 -> info(in);
                        default -> throw new MalformedMessageException("bad info flag " + hasInfo);
                    };
                    if (offset < 0) {
                        throw new MalformedMessageException("negative offset " + offset);
                    }
                    yield new Frame(new Publication(offset, epoch, time, data, info), null);
                }
                case JOIN -> new Frame(null, new ChannelEvent.Join(info(in)));
                case LEAVE -> new Frame(null, new ChannelEvent.Leave(info(in)));
                case CHANGE -> new Frame(null, new ChannelEvent.PresenceChange(info(in)));
                case SIGNAL -> {
                    String key = str(in);
                    Payload data = json(in);
                    yield new Frame(null, new ChannelEvent.Signal(key, data, info(in)));
                }
                default -> throw new MalformedMessageException("unknown frame tag " + (tag & 0xff));
            };
            end(in);
            return f;
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("truncated frame (" + bytes.length + " bytes)");
        }
    }

    /**
     * Decodes a presence entry.
     *
     * @throws MalformedMessageException when the bytes are not an entry
     */
    public static Entry decodeEntry(byte[] bytes) {
        ByteBuffer in = open(bytes);
        try {
            byte tag = in.get();
            if (tag != ENTRY) {
                throw new MalformedMessageException("not a presence entry (tag " + (tag & 0xff) + ")");
            }
            Entry e = new Entry(in.getLong(), info(in));
            end(in);
            return e;
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("truncated presence entry (" + bytes.length + " bytes)");
        }
    }

    private static ByteBuffer open(byte[] bytes) {
        if (bytes == null || bytes.length < 2) {
            throw new MalformedMessageException("frame too short (" + (bytes == null ? 0 : bytes.length) + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte v = in.get();
        if (v != VERSION) {
            throw new MalformedMessageException("unknown frame version " + (v & 0xff));
        }
        return in;
    }

    private static void end(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new MalformedMessageException(in.remaining() + " trailing bytes");
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(VERSION);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        bytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void info(DataOutputStream out, ClientInfo i) throws IOException {
        str(out, i.client());
        str(out, i.user());
        opt(out, i.connInfo());
        opt(out, i.state());
        out.writeLong(i.clock());
    }

    private static void opt(DataOutputStream out, Payload p) throws IOException {
        if (p == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            bytes(out, p.json());
        }
    }

    private static byte[] bytes(ByteBuffer in) {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) {
            throw new MalformedMessageException("length " + len + " exceeds the " + in.remaining() + " bytes left");
        }
        byte[] b = new byte[len];
        in.get(b);
        return b;
    }

    private static String str(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static Payload json(ByteBuffer in) {
        try {
            return Payload.ofJson(bytes(in));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("bad JSON in frame: " + e.getMessage(), e);
        }
    }

    private static Payload optJson(ByteBuffer in) {
        byte flag = in.get();
        return switch (flag) {
            case 0 -> null;
            case 1 -> json(in);
            default -> throw new MalformedMessageException("bad optional flag " + flag);
        };
    }

    private static ClientInfo info(ByteBuffer in) {
        String client = str(in);
        String user = str(in);
        Payload connInfo = optJson(in);
        Payload state = optJson(in);
        long clock = in.getLong();
        return new ClientInfo(client, user, connInfo, state, clock);
    }
}
