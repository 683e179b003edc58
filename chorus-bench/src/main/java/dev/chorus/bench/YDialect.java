package dev.chorus.bench;

import dev.chorus.core.documents.YMessages;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How the document benchmark's clients frame y-protocols messages for one server: y-websocket (one
 * document per socket, named in the URL, messages as they are) or Hocuspocus (messages start with the
 * document's name, and a document is opened with an auth message). The messages themselves are
 * {@link YMessages}' for every server, so the client side costs the same.
 */
enum YDialect {
    /** Chorus's {@code /yjs/<doc>}. */
    CHORUS_YJS("/yjs/", false),
    /** {@code @y/websocket-server}: {@code /<doc>}. */
    Y_WEBSOCKET("/", false),
    /** {@code @hocuspocus/server}: any path, documents named in the messages. */
    HOCUSPOCUS("/", true),
    /** Chorus's {@code /hocuspocus}. */
    CHORUS_HOCUSPOCUS("/hocuspocus", true);

    private static final int HOCUSPOCUS_AUTH = 2;
    private static final int HOCUSPOCUS_AUTH_TOKEN = 0;

    private final String path;
    final boolean prefixed;

    YDialect(String path, boolean prefixed) {
        this.path = path;
        this.prefixed = prefixed;
    }

    /** The WebSocket path a client of {@code doc} connects to. */
    String path(String doc) {
        return prefixed ? path : path + URLEncoder.encode(doc, StandardCharsets.UTF_8);
    }

    private Lib0Writer writer(String doc, int size) {
        Lib0Writer w = new Lib0Writer(size + doc.length() * 3 + 16);
        if (prefixed) {
            w.writeVarString(doc);
        }
        return w;
    }

    /** What a client sends when its socket opens: (Hocuspocus: an auth token, then) sync step 1. */
    byte[][] open(String doc, byte[] stateVector) {
        Lib0Writer step1 = writer(doc, stateVector.length);
        YMessages.writeSync(step1, YMessages.STEP1, stateVector);
        if (!prefixed) {
            return new byte[][] {step1.toByteArray()};
        }
        Lib0Writer auth = writer(doc, 4);
        auth.writeVarUint(HOCUSPOCUS_AUTH);
        auth.writeVarUint(HOCUSPOCUS_AUTH_TOKEN);
        auth.writeVarString(""); // no token: Chorus in dev mode and Hocuspocus without onAuthenticate accept it
        return new byte[][] {auth.toByteArray(), step1.toByteArray()};
    }

    /** A sync update message carrying {@code update}. */
    byte[] update(String doc, byte[] update) {
        if (!prefixed) {
            return YMessages.update(update);
        }
        Lib0Writer w = writer(doc, update.length);
        YMessages.writeSync(w, YMessages.UPDATE, update);
        return w.toByteArray();
    }

    /** Receives, for each client of an update, the clocks its structs cover: {@code [from, to)}. */
    interface Ranges {
        void range(long client, long from, long to);
    }

    /**
     * Reads a message the server sent: returns its sync sub-type ({@link YMessages#STEP2},
     * {@link YMessages#UPDATE}, ...), or -1 for a message that is no sync message. For an update it
     * hands the clock range of each client to {@code ranges}: a server may merge several updates,
     * of several clients, into one message (Hocuspocus per event-loop turn, Chorus per commit), and
     * one client's consecutive updates then arrive as one struct.
     */
    int read(byte[] message, Ranges ranges) {
        Lib0Reader r = new Lib0Reader(message);
        if (prefixed) {
            r.readVarString();
        }
        if (r.readVarUintAsInt() != YMessages.SYNC) {
            return -1;
        }
        int sub = r.readVarUintAsInt();
        if (sub == YMessages.UPDATE) {
            // a v1 update: the number of clients, then per client: number of structs, client, clock, structs
            Lib0Reader u = new Lib0Reader(r.readVarUint8Array());
            for (long clients = u.readVarUint(); clients > 0; clients--) {
                long structs = u.readVarUint();
                long client = u.readVarUint();
                long from = u.readVarUint();
                long to = from;
                for (; structs > 0; structs--) {
                    to += skipStruct(u);
                }
                ranges.range(client, from, to);
            }
        }
        return sub;
    }

    /**
     * Skips one struct of the kinds the benchmark's edits make (GC, Skip, items of string content)
     * and returns its length in clocks.
     */
    private static long skipStruct(Lib0Reader u) {
        int info = u.readUint8();
        int ref = info & 0x1f;
        if (ref == 0 || ref == 10) {
            return u.readVarUint(); // GC or Skip: a length
        }
        if ((info & 0x80) != 0) {
            u.readVarUint(); // origin
            u.readVarUint();
        }
        if ((info & 0x40) != 0) {
            u.readVarUint(); // right origin
            u.readVarUint();
        }
        if ((info & 0xc0) == 0) {
            if (u.readVarUint() == 1) {
                u.readVarString(); // parent: a root type's name
            } else {
                u.readVarUint(); // parent: an item's id
                u.readVarUint();
            }
            if ((info & 0x20) != 0) {
                u.readVarString(); // parent sub (map key)
            }
        }
        return switch (ref) {
            case 1 -> u.readVarUint(); // deleted: a length
            case 4 -> u.readVarString().length(); // UTF-16 code units, as Yjs counts
            default -> throw new IllegalArgumentException("the benchmark reads no content of kind " + ref);
        };
    }
}
