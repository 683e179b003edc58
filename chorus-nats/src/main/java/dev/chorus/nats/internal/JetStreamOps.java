package dev.chorus.nats.internal;

import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.PurgeResponse;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The JetStream requests the broker and the presence store make. Single-message reads, publishes
 * and purges are plain NATS requests to the JetStream API, so they never block a thread; reading a
 * range (an ordered consumer) uses jnats' blocking API and must run on an I/O executor.
 *
 * <p>Reads go to the stream leader ({@code STREAM.MSG.GET}), not to "direct get", which a replica
 * may answer before it has the newest message: a node must be able to read a publication as soon
 * as it was told of it.
 */
public final class JetStreamOps {
    /** JetStream: "wrong last sequence" (an expected-last-subject-sequence check failed). */
    public static final int WRONG_LAST_SEQUENCE = 10071;
    /** JetStream: no message found. */
    public static final int NO_MESSAGE = 10037;
    /** JetStream: stream not found. */
    public static final int STREAM_NOT_FOUND = 10059;

    private static final int FETCH_BATCH = 256;

    private final Connection nc;
    private final Duration timeout;

    public JetStreamOps(Connection nc, Duration timeout) {
        this.nc = nc;
        this.timeout = timeout;
    }

    /** The newest message on {@code subject}, or {@code null} when it has none. */
    public CompletableFuture<StoredMessage> last(String stream, String subject) {
        return get(stream, MessageGetRequest.lastBySubjectBytes(subject), subject);
    }

    /** The message with sequence {@code seq}, or {@code null} when it is gone. */
    public CompletableFuture<StoredMessage> bySeq(String stream, long seq) {
        return get(stream, MessageGetRequest.seqBytes(seq), "sequence " + seq);
    }

    private CompletableFuture<StoredMessage> get(String stream, byte[] body, String what) {
        return request("$JS.API.STREAM.MSG.GET." + stream, null, body).thenApply(resp -> {
            MessageInfo info = new MessageInfo(resp, stream, false);
            if (info.hasError()) {
                if (info.getApiErrorCode() == NO_MESSAGE) {
                    return null;
                }
                if (info.getApiErrorCode() == STREAM_NOT_FOUND) {
                    throw new NoStreamException("stream " + stream + " not found");
                }
                throw new CompletionException(new JetStreamApiException(info));
            }
            return new StoredMessage(info.getSeq(), info.getHeaders(), info.getData() == null ? new byte[0] : info.getData());
        });
    }

    /**
     * Publishes to a stream subject and returns the server's ack.
     * Fails with {@link NoStreamException} when no stream captures the subject, and with a
     * {@link JetStreamApiException} when the server refused the message (e.g.
     * {@link #WRONG_LAST_SEQUENCE}).
     */
    public CompletableFuture<PublishAck> publish(String subject, Headers headers, byte[] body) {
        return request(subject, headers, body).thenApply(resp -> {
            try {
                return new PublishAck(resp);
            } catch (JetStreamApiException e) {
                throw new CompletionException(e);
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Removes {@code subject}'s messages, keeping the newest {@code keep} (0: all removed). */
    public CompletableFuture<Long> purge(String stream, String subject, long keep) {
        String body = "{\"filter\":\"" + subject + "\"" + (keep > 0 ? ",\"keep\":" + keep : "") + "}";
        return request("$JS.API.STREAM.PURGE." + stream, null, body.getBytes(StandardCharsets.UTF_8)).thenApply(resp -> {
            PurgeResponse r = new PurgeResponse(resp);
            if (r.hasError()) {
                if (r.getApiErrorCode() == STREAM_NOT_FOUND) {
                    throw new NoStreamException("stream " + stream + " not found");
                }
                throw new CompletionException(new JetStreamApiException(r));
            }
            return r.getPurged();
        });
    }

    private CompletableFuture<Message> request(String subject, Headers headers, byte[] body) {
        CompletableFuture<Message> f;
        try {
            f = nc.requestWithTimeout(NatsMessage.builder().subject(subject).headers(headers).data(body).build(), timeout);
        } catch (RuntimeException e) {
            // closed connection, payload over the server's limit, ...
            return CompletableFuture.failedFuture(e);
        }
        return f.handle((m, err) -> {
            if (err == null) {
                if (m.isStatusMessage() && m.getStatus().isNoResponders()) {
                    throw new NoStreamException("no JetStream stream answers on " + subject);
                }
                return m;
            }
            Throwable c = unwrap(err);
            if (c instanceof JetStreamStatusException s && s.getStatus() != null && s.getStatus().isNoResponders()) {
                throw new NoStreamException("no JetStream stream answers on " + subject);
            }
            if (c instanceof CancellationException || c instanceof TimeoutException) {
                throw new CompletionException(new TimeoutException("NATS request on " + subject + " got no answer within " + timeout));
            }
            throw new CompletionException(c);
        });
    }

    /**
     * Reads messages matching {@code filter} with an ordered consumer, oldest first, until
     * {@code untilSeq} (inclusive; {@code Long.MAX_VALUE}: until nothing more is stored).
     * <b>Blocks</b>: run it on an I/O executor.
     */
    public static List<StoredMessage> readAll(StreamContext stream, String filter, DeliverPolicy policy, long untilSeq)
            throws Exception {
        OrderedConsumerContext ctx = stream.createOrderedConsumer(
                new OrderedConsumerConfiguration().filterSubject(filter).deliverPolicy(policy));
        List<StoredMessage> out = new ArrayList<>();
        while (true) {
            int got = 0;
            try (FetchConsumer fc = ctx.fetch(FetchConsumeOptions.builder().maxMessages(FETCH_BATCH).noWait().build())) {
                Message m;
                while ((m = fc.nextMessage()) != null) {
                    got++;
                    long seq = m.metaData().streamSequence();
                    if (seq > untilSeq) {
                        return out;
                    }
                    out.add(new StoredMessage(seq, m.getHeaders(), m.getData() == null ? new byte[0] : m.getData()));
                    if (seq == untilSeq) {
                        return out;
                    }
                }
            }
            if (got < FETCH_BATCH) {
                return out;
            }
        }
    }

    /** The cause inside the wrappers futures add. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether {@code t} is JetStream's answer with API error {@code code}. */
    public static boolean isApiError(Throwable t, int code) {
        return unwrap(t) instanceof JetStreamApiException e && e.getApiErrorCode() == code;
    }
}
