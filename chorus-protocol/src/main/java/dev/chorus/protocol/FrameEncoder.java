package dev.chorus.protocol;

import dev.chorus.protocol.internal.FrameWriter;
import dev.chorus.protocol.internal.Key;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes replies, pushes and requests through a {@link FrameWriter}, so both formats share one
 * description of every frame. Every object states its field count first (MessagePack needs it), so
 * each optional field is counted where it is decided.
 */
final class FrameEncoder {
    private static final Key ID = Key.of("id");
    private static final Key EXPIRES = Key.of("expires");
    private static final Key DOC = Key.of("doc");
    private static final Key READ_ONLY = Key.of("readOnly");
    private static final Key OP = Key.of("op");
    private static final Key RESULT = Key.of("result");
    private static final Key ERROR = Key.of("error");
    private static final Key CODE = Key.of("code");
    private static final Key MESSAGE = Key.of("message");
    private static final Key PUSH = Key.of("push");
    private static final Key CHANNEL = Key.of("channel");
    private static final Key PUB = Key.of("pub");
    private static final Key INFO = Key.of("info");
    private static final Key KEY = Key.of("key");
    private static final Key DATA = Key.of("data");
    private static final Key STATE = Key.of("state");
    private static final Key REASON = Key.of("reason");
    private static final Key RESUBSCRIBE = Key.of("resubscribe");
    private static final Key OFFSET = Key.of("offset");
    private static final Key EPOCH = Key.of("epoch");
    private static final Key TIME = Key.of("time");
    private static final Key CLIENT = Key.of("client");
    private static final Key USER = Key.of("user");
    private static final Key CONN_INFO = Key.of("connInfo");
    private static final Key CLOCK = Key.of("clock");
    private static final Key RECOVERED = Key.of("recovered");
    private static final Key RECOVERING = Key.of("recovering");
    private static final Key PUBLICATIONS = Key.of("publications");
    private static final Key PRESENCE = Key.of("presence");
    private static final Key JOIN_LEAVE = Key.of("joinLeave");
    private static final Key CLIENTS = Key.of("clients");
    private static final Key USERS = Key.of("users");
    private static final Key PING = Key.of("ping");
    private static final Key TIMEOUT = Key.of("timeout");
    private static final Key NODE = Key.of("node");
    private static final Key VERSION = Key.of("version");
    private static final Key LIMITS = Key.of("limits");
    private static final Key TOKEN = Key.of("token");
    private static final Key NAME = Key.of("name");
    private static final Key SINCE = Key.of("since");
    private static final Key LIMIT = Key.of("limit");
    private static final Key REVERSE = Key.of("reverse");
    private static final Key METHOD = Key.of("method");

    private FrameEncoder() {
    }

    // ------------------------------------------------------------ replies

    static void reply(FrameWriter w, Reply reply) throws IOException {
        w.startObject(2);
        w.key(ID);
        w.number(reply.id());
        if (reply.error() != null) {
            w.key(ERROR);
            error(w, reply.error());
        } else {
            w.key(RESULT);
            result(w, reply.result());
        }
        w.endObject();
    }

    private static void error(FrameWriter w, ErrorInfo e) throws IOException {
        w.startObject(2);
        w.key(CODE);
        w.number(e.code());
        w.key(MESSAGE);
        w.string(e.message());
        w.endObject();
    }

    private static void result(FrameWriter w, Result r) throws IOException {
        if (r instanceof Result.Raw raw) {
            w.payload(raw.value());
        } else if (r instanceof Result.Empty) {
            w.startObject(0);
            w.endObject();
        } else if (r instanceof Result.Connect c) {
            Map<String, Long> limits = c.limits() == null ? Map.of() : c.limits();
            w.startObject(7 + (c.data() == null ? 0 : 1) + (c.expires() > 0 ? 1 : 0));
            w.key(CLIENT);
            w.string(c.client());
            w.key(USER);
            w.string(c.user());
            w.key(PING);
            w.number(c.ping());
            w.key(TIMEOUT);
            w.number(c.timeout());
            w.key(NODE);
            w.string(c.node());
            w.key(VERSION);
            w.string(c.version());
            w.key(LIMITS);
            w.startObject(limits.size());
            for (Map.Entry<String, Long> e : limits.entrySet()) {
                w.key(e.getKey());
                w.number(e.getValue());
            }
            w.endObject();
            if (c.data() != null) {
                w.key(DATA);
                w.payload(c.data());
            }
            if (c.expires() > 0) {
                w.key(EXPIRES);
                w.number(c.expires());
            }
            w.endObject();
        } else if (r instanceof Result.DocOpen d) {
            w.startObject(1);
            w.key(READ_ONLY);
            w.bool(d.readOnly());
            w.endObject();
        } else if (r instanceof Result.Refresh f) {
            w.startObject(f.expires() > 0 ? 1 : 0);
            if (f.expires() > 0) {
                w.key(EXPIRES);
                w.number(f.expires());
            }
            w.endObject();
        } else if (r instanceof Result.Subscribe s) {
            w.startObject(s.presence() == null ? 5 : 6);
            position(w, s.position());
            w.key(RECOVERED);
            w.bool(s.recovered());
            w.key(RECOVERING);
            w.bool(s.recovering());
            w.key(PUBLICATIONS);
            publications(w, s.publications());
            if (s.presence() != null) {
                w.key(PRESENCE);
                clients(w, s.presence());
            }
            w.endObject();
        } else if (r instanceof Result.Publish p) {
            w.startObject(2);
            position(w, p.position());
            w.endObject();
        } else if (r instanceof Result.History h) {
            w.startObject(3);
            position(w, h.position());
            w.key(PUBLICATIONS);
            publications(w, h.publications());
            w.endObject();
        } else if (r instanceof Result.Presence p) {
            w.startObject(1);
            w.key(CLIENTS);
            clients(w, p.clients());
            w.endObject();
        } else if (r instanceof Result.PresenceStats s) {
            w.startObject(2);
            w.key(CLIENTS);
            w.number(s.clients());
            w.key(USERS);
            w.number(s.users());
            w.endObject();
        } else if (r instanceof Result.PresenceUpdate u) {
            w.startObject(1);
            w.key(CLOCK);
            w.number(u.clock());
            w.endObject();
        } else if (r instanceof Result.Rpc rpc) {
            w.startObject(1);
            w.key(DATA);
            w.payload(rpc.data() == null ? Payload.NULL : rpc.data());
            w.endObject();
        } else {
            throw new IllegalArgumentException("unknown result type " + r);
        }
    }

    /** Writes offset and epoch as two fields of the enclosing object. */
    private static void position(FrameWriter w, StreamPosition p) throws IOException {
        w.key(OFFSET);
        w.number(p.offset());
        w.key(EPOCH);
        w.string(p.epoch());
    }

    private static void publications(FrameWriter w, List<Publication> pubs) throws IOException {
        List<Publication> list = pubs == null ? List.of() : pubs;
        w.startArray(list.size());
        for (Publication p : list) {
            publication(w, p);
        }
        w.endArray();
    }

    private static void publication(FrameWriter w, Publication p) throws IOException {
        boolean offset = p.offset() != 0;
        boolean epoch = !p.epoch().isEmpty();
        w.startObject(2 + (offset ? 1 : 0) + (epoch ? 1 : 0) + (p.info() != null ? 1 : 0));
        if (offset) {
            w.key(OFFSET);
            w.number(p.offset());
        }
        if (epoch) {
            w.key(EPOCH);
            w.string(p.epoch());
        }
        w.key(TIME);
        w.number(p.time());
        w.key(DATA);
        w.payload(p.data());
        if (p.info() != null) {
            w.key(INFO);
            client(w, p.info());
        }
        w.endObject();
    }

    private static void clients(FrameWriter w, Map<String, ClientInfo> clients) throws IOException {
        w.startObject(clients.size());
        for (Map.Entry<String, ClientInfo> e : clients.entrySet()) {
            w.key(e.getKey());
            client(w, e.getValue());
        }
        w.endObject();
    }

    private static void client(FrameWriter w, ClientInfo c) throws IOException {
        w.startObject(2 + (c.connInfo() != null ? 1 : 0) + (c.state() != null ? 1 : 0) + (c.clock() != 0 ? 1 : 0));
        w.key(CLIENT);
        w.string(c.client());
        w.key(USER);
        w.string(c.user());
        if (c.connInfo() != null) {
            w.key(CONN_INFO);
            w.payload(c.connInfo());
        }
        if (c.state() != null) {
            w.key(STATE);
            w.payload(c.state());
        }
        if (c.clock() != 0) {
            w.key(CLOCK);
            w.number(c.clock());
        }
        w.endObject();
    }

    // ------------------------------------------------------------ pushes

    static void push(FrameWriter w, Push push) throws IOException {
        if (push instanceof Push.Pub p) {
            w.startObject(3);
            head(w, push, p.channel());
            w.key(PUB);
            publication(w, p.pub());
        } else if (push instanceof Push.Join j) {
            member(w, push, j.channel(), j.info());
        } else if (push instanceof Push.Leave l) {
            member(w, push, l.channel(), l.info());
        } else if (push instanceof Push.PresenceChange c) {
            member(w, push, c.channel(), c.info());
        } else if (push instanceof Push.Signal s) {
            w.startObject(s.info() == null ? 4 : 5);
            head(w, push, s.channel());
            w.key(KEY);
            w.string(s.key() == null ? "" : s.key());
            w.key(DATA);
            w.payload(orNull(s.data()));
            if (s.info() != null) {
                w.key(INFO);
                client(w, s.info());
            }
        } else if (push instanceof Push.Unsubscribed u) {
            w.startObject(5);
            head(w, push, u.channel());
            w.key(CODE);
            w.number(u.code());
            w.key(REASON);
            w.string(u.reason() == null ? "" : u.reason());
            w.key(RESUBSCRIBE);
            w.bool(u.resubscribe());
        } else if (push instanceof Push.Doc d) {
            w.startObject(3);
            w.key(PUSH);
            w.string(push.type());
            w.key(DOC);
            w.string(d.doc());
            w.key(DATA);
            w.string(java.util.Base64.getEncoder().encodeToString(d.data()));
        } else if (push instanceof Push.Ping) {
            w.startObject(1);
            w.key(PUSH);
            w.string(push.type());
        } else if (push instanceof Push.Error e) {
            w.startObject(2);
            w.key(PUSH);
            w.string(push.type());
            w.key(ERROR);
            error(w, e.error());
        } else {
            throw new IllegalArgumentException("unknown push type " + push);
        }
        w.endObject();
    }

    private static void head(FrameWriter w, Push push, String channel) throws IOException {
        w.key(PUSH);
        w.string(push.type());
        w.key(CHANNEL);
        w.string(channel);
    }

    private static void member(FrameWriter w, Push push, String channel, ClientInfo info) throws IOException {
        w.startObject(3);
        head(w, push, channel);
        w.key(INFO);
        client(w, info);
    }

    // ------------------------------------------------------------ requests

    static void request(FrameWriter w, Request request) throws IOException {
        boolean hasId = request.id() > 0;
        w.startObject((hasId ? 1 : 0) + 1 + requestFieldCount(request));
        if (hasId) {
            w.key(ID);
            w.number(request.id());
        }
        w.key(OP);
        w.string(request.op());
        if (request instanceof Request.Connect c) {
            optString(w, TOKEN, c.token());
            optString(w, NAME, c.name());
            optString(w, VERSION, c.version());
        } else if (request instanceof Request.Subscribe s) {
            channel(w, s.channel());
            since(w, s.since());
            if (s.presence()) {
                w.key(PRESENCE);
                w.bool(true);
            }
            if (s.joinLeave()) {
                w.key(JOIN_LEAVE);
                w.bool(true);
            }
            optString(w, TOKEN, s.token());
        } else if (request instanceof Request.Refresh f) {
            optString(w, TOKEN, f.token());
        } else if (request instanceof Request.DocOpen d) {
            w.key(DOC);
            w.string(d.doc());
            if (d.readOnly()) {
                w.key(READ_ONLY);
                w.bool(true);
            }
        } else if (request instanceof Request.Doc d) {
            w.key(DOC);
            w.string(d.doc());
            w.key(DATA);
            w.string(java.util.Base64.getEncoder().encodeToString(d.data()));
        } else if (request instanceof Request.DocClose d) {
            w.key(DOC);
            w.string(d.doc());
        } else if (request instanceof Request.Unsubscribe u) {
            channel(w, u.channel());
        } else if (request instanceof Request.Publish p) {
            channel(w, p.channel());
            w.key(DATA);
            w.payload(orNull(p.data()));
            optString(w, KEY, p.key());
        } else if (request instanceof Request.History h) {
            channel(w, h.channel());
            since(w, h.since());
            if (h.limit() >= 0) {
                w.key(LIMIT);
                w.number(h.limit());
            }
            if (h.reverse()) {
                w.key(REVERSE);
                w.bool(true);
            }
        } else if (request instanceof Request.Presence p) {
            channel(w, p.channel());
        } else if (request instanceof Request.PresenceStats p) {
            channel(w, p.channel());
        } else if (request instanceof Request.PresenceUpdate p) {
            channel(w, p.channel());
            w.key(STATE);
            w.payload(orNull(p.state()));
        } else if (request instanceof Request.Signal s) {
            channel(w, s.channel());
            if (s.key() != null && !s.key().isEmpty()) {
                w.key(KEY);
                w.string(s.key());
            }
            w.key(DATA);
            w.payload(orNull(s.data()));
        } else if (request instanceof Request.Rpc r) {
            w.key(METHOD);
            w.string(r.method());
            if (r.data() != null && !r.data().equals(Payload.NULL)) {
                w.key(DATA);
                w.payload(r.data());
            }
        }
        w.endObject();
    }

    /** Fields besides id and op, matching what {@link #request} writes. */
    private static int requestFieldCount(Request request) {
        if (request instanceof Request.Connect c) {
            return (c.token() != null ? 1 : 0) + (c.name() != null ? 1 : 0) + (c.version() != null ? 1 : 0);
        } else if (request instanceof Request.Subscribe s) {
            return 1 + (s.since() != null ? 1 : 0) + (s.presence() ? 1 : 0) + (s.joinLeave() ? 1 : 0) + (s.token() != null ? 1 : 0);
        } else if (request instanceof Request.Refresh f) {
            return f.token() != null ? 1 : 0;
        } else if (request instanceof Request.DocOpen d) {
            return 1 + (d.readOnly() ? 1 : 0);
        } else if (request instanceof Request.Doc) {
            return 2;
        } else if (request instanceof Request.DocClose) {
            return 1;
        } else if (request instanceof Request.Publish p) {
            return 2 + (p.key() != null ? 1 : 0);
        } else if (request instanceof Request.History h) {
            return 1 + (h.since() != null ? 1 : 0) + (h.limit() >= 0 ? 1 : 0) + (h.reverse() ? 1 : 0);
        } else if (request instanceof Request.PresenceUpdate) {
            return 2;
        } else if (request instanceof Request.Signal s) {
            return 2 + (s.key() == null || s.key().isEmpty() ? 0 : 1);
        } else if (request instanceof Request.Rpc r) {
            return 1 + (r.data() != null && !r.data().equals(Payload.NULL) ? 1 : 0);
        } else if (request instanceof Request.Unsubscribe || request instanceof Request.Presence
                || request instanceof Request.PresenceStats) {
            return 1;
        }
        return 0;
    }

    private static Payload orNull(Payload p) {
        return p == null ? Payload.NULL : p;
    }

    private static void channel(FrameWriter w, String channel) throws IOException {
        w.key(CHANNEL);
        w.string(channel);
    }

    private static void optString(FrameWriter w, Key key, String value) throws IOException {
        if (value != null) {
            w.key(key);
            w.string(value);
        }
    }

    private static void since(FrameWriter w, StreamPosition since) throws IOException {
        if (since != null) {
            w.key(SINCE);
            w.startObject(2);
            position(w, since);
            w.endObject();
        }
    }
}
