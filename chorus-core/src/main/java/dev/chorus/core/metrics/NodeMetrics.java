package dev.chorus.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The figures one node reports (Micrometer; {@code /metrics} serves them in Prometheus format when
 * the registry is a {@link PrometheusMeterRegistry}). Hot-path counts go to striped
 * {@link LongAdder}s read by function counters, so a delivery costs one add, not a meter lookup.
 *
 * <p>Names (Prometheus form): {@code chorus_connections}, {@code chorus_subscriptions},
 * {@code chorus_messages_in_total{op}}, {@code chorus_messages_out_total{kind}},
 * {@code chorus_bytes_in_total}, {@code chorus_bytes_out_total},
 * {@code chorus_publish_deliver_latency_seconds} (histogram), {@code chorus_slow_consumer_closes_total},
 * {@code chorus_rate_limited_total}, {@code chorus_errors_total{code}}, {@code chorus_connects_total},
 * {@code chorus_http_refused_total{reason}}.
 */
public final class NodeMetrics {
    /** Kinds of outbound message counted in {@code chorus_messages_out_total}. */
    public enum Out {
        PUB("pub"), JOIN("join"), LEAVE("leave"), PRESENCE("presence"), SIGNAL("signal"), REPLY("reply"), PUSH("push"), PING("ping");

        final String tag;

        Out(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final LongAdder[] out = new LongAdder[Out.values().length];
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder subscriptions = new LongAdder();
    private final Counter slowConsumers;
    private final Counter rateLimited;
    private final Counter connects;
    private final Timer latency;
    private final ConcurrentHashMap<String, Counter> in = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> refusals = new ConcurrentHashMap<>();

    public NodeMetrics(MeterRegistry registry, Supplier<Number> connections) {
        this.registry = registry;
        for (Out k : Out.values()) {
            LongAdder a = new LongAdder();
            out[k.ordinal()] = a;
            FunctionCounter.builder("chorus.messages.out", a, LongAdder::doubleValue).tag("kind", k.tag)
                    .description("messages written to clients, by kind").register(registry);
        }
        FunctionCounter.builder("chorus.bytes.in", bytesIn, LongAdder::doubleValue)
                .description("bytes of client messages").register(registry);
        FunctionCounter.builder("chorus.bytes.out", bytesOut, LongAdder::doubleValue)
                .description("bytes of messages written to clients").register(registry);
        // a gauge holds its object weakly by default: the supplier lambda would be collected (NaN)
        Gauge.builder("chorus.connections", connections, s -> s.get().doubleValue()).strongReference(true)
                .description("open client connections on this node").register(registry);
        Gauge.builder("chorus.subscriptions", subscriptions, LongAdder::doubleValue).strongReference(true)
                .description("channel subscriptions on this node").register(registry);
        slowConsumers = Counter.builder("chorus.slow.consumer.closes").description("clients closed for not reading (4002)").register(registry);
        rateLimited = Counter.builder("chorus.rate.limited").description("client messages refused by the rate limit (115)").register(registry);
        connects = Counter.builder("chorus.connects").description("accepted connects").register(registry);
        latency = Timer.builder("chorus.publish.deliver.latency")
                .description("time from a publication's server timestamp to its delivery to this node's subscribers")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /** A node that reports to a fresh Prometheus registry. */
    public static NodeMetrics prometheus(Supplier<Number> connections) {
        return new NodeMetrics(new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT), connections);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text format of every meter, or {@code null} when the registry is not Prometheus. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : null;
    }

    public void messageIn(String op, int bytes) {
        bytesIn.add(bytes);
        in.computeIfAbsent(op, o -> Counter.builder("chorus.messages.in").tag("op", o)
                .description("client messages, by operation").register(registry)).increment();
    }

    /** A frame whose operation could not be read (malformed): counted as op {@code invalid}. */
    public void invalidIn(int bytes) {
        messageIn("invalid", bytes);
    }

    public void out(Out kind, int count, long bytes) {
        out[kind.ordinal()].add(count);
        bytesOut.add(bytes);
    }

    public void error(int code) {
        errors.computeIfAbsent(code, c -> Counter.builder("chorus.errors").tag("code", Integer.toString(c))
                .description("error replies and pushes, by code").register(registry)).increment();
    }

    public void subscribed(int delta) {
        subscriptions.add(delta);
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    /** A browser request refused by the origin allow-list or the per-IP limit. */
    public void httpRefused(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("chorus.http.refused").tag("reason", r)
                .description("browser requests refused before the engine (origin, connections per IP)").register(registry)).increment();
    }

    public void connected() {
        connects.increment();
    }

    /** Records how long ago (by the wall clock) a publication stamped {@code timeMillis} was made. */
    public void deliveredAfter(long timeMillis) {
        long ms = System.currentTimeMillis() - timeMillis;
        latency.record(Math.max(0, ms), TimeUnit.MILLISECONDS);
    }
}
