package dev.chorus.bench.jmh;

import dev.chorus.core.Chorus;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.Connection;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.core.transport.Transport;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.ServerFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time for one server-side {@link Chorus#publish} to reach N local subscribers through the real
 * engine: namespace checks, the memory broker (history on, as in {@code --dev}), the channel hub,
 * one {@code pub} encoding, and N {@link Connection#write} calls. The connections are fakes that
 * only count frames and bytes, so no network or transport cost is included. All subscribers use
 * JSON. Teardown checks that every subscriber received every publication.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanOutBenchmark {
    private static final String CHANNEL = "bench";

    @Param({"1", "100", "1000"})
    public int subscribers;

    private Chorus chorus;
    private CountingConnection[] connections;
    private Payload data;

    /**
     * A connection that keeps only counters. {@code write} is called under the subscription's lock
     * (or, in setup, by the session), so plain fields are enough.
     */
    static final class CountingConnection implements Connection {
        long frames;
        long bytes;
        byte[] last;
        CloseCode closed;

        @Override
        public Format format() {
            return Format.JSON;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:0";
        }

        @Override
        public void write(byte[] frame) {
            frames++;
            bytes += frame.length;
            last = frame;
        }

        @Override
        public void close(CloseCode code, String reason) {
            closed = code;
        }

        @Override
        public boolean isOpen() {
            return closed == null;
        }
    }

    /** A transport that binds nothing: connections are attached by hand. */
    static final class NoTransport implements Transport {
        @Override
        public InetSocketAddress start(ConnectionAcceptor acceptor) {
            return new InetSocketAddress("127.0.0.1", 0);
        }

        @Override
        public void stop(Duration grace) {
        }
    }

    @Setup(Level.Trial)
    public void setup() throws ProtocolException {
        // dev defaults, but pings and heartbeat timeouts far beyond any run: the fake clients never
        // answer pings, and the timer thread must not write to or drop them mid-measurement
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .pingInterval(Duration.ofHours(1)).heartbeatTimeout(Duration.ofHours(2)).build();
        chorus = Chorus.builder().config(config).transport(cfg -> new NoTransport()).build().start();
        data = Payload.ofJson("{\"text\":\"hello, everyone in the room\",\"n\":1}");
        Codec json = Codec.forFormat(Format.JSON);
        byte[] connect = json.encodeRequest(new Request.Connect(1, null, "bench", "1"));
        byte[] subscribe = json.encodeRequest(new Request.Subscribe(2, CHANNEL, null, false, false));
        connections = new CountingConnection[subscribers];
        for (int i = 0; i < subscribers; i++) {
            CountingConnection c = new CountingConnection();
            InboundHandler in = chorus.node().accept(c);
            in.onFrame(connect, false);
            in.onFrame(subscribe, false);
            // the memory broker completes synchronously: both replies are written by now
            ServerFrame reply = json.decodeServerFrame(c.last, 0, c.last.length);
            if (c.frames != 2 || reply.reply() == null || reply.reply().error() != null) {
                throw new IllegalStateException("subscriber " + i + " not subscribed: " + new String(c.last));
            }
            connections[i] = c;
        }
    }

    @Benchmark
    public void publish(Blackhole bh) {
        bh.consume(chorus.publish(CHANNEL, data).toCompletableFuture().join());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            // offsets count publications in the channel, so this one's offset is the total
            long published = chorus.publish(CHANNEL, data).toCompletableFuture().join().offset();
            for (CountingConnection c : connections) {
                if (c.closed != null || c.frames != 2 + published) {
                    throw new IllegalStateException("a subscriber got " + (c.frames - 2) + " of " + published
                            + " publications" + (c.closed == null ? "" : " and was closed with " + c.closed));
                }
            }
        } finally {
            chorus.close();
        }
    }
}
