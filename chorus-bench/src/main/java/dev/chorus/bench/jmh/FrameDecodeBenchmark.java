package dev.chorus.bench.jmh;

import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Request;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time to decode one {@code publish} request frame into a {@link Request.Publish} with
 * {@link Codec#decodeRequest(byte[])}, per {@link Format}: what a server does for every message a
 * client publishes, before hooks and the broker. The frame carries a chat-like JSON object of
 * about 200 bytes (checked in setup), no idempotency key; decoding includes building the
 * payload's canonical JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameDecodeBenchmark {
    /** JSON text of the published data: 200 bytes, a few strings, numbers, a boolean, a small array. */
    static final String DATA = "{\"type\":\"message\",\"room\":\"general\",\"author\":{\"id\":\"u-48213\","
            + "\"name\":\"Ada Lovelace\"},\"text\":\"The engine might compose elaborate pieces of music.\","
            + "\"sent\":1763820000123,\"edited\":false,\"tags\":[\"a\",\"bb\"]}";

    @Param({"JSON", "MSGPACK"})
    public Format format;

    private Codec codec;
    private byte[] frame;

    @Setup
    public void setup() throws ProtocolException {
        codec = Codec.forFormat(format);
        Payload data = Payload.ofJson(DATA);
        if (data.size() < 180 || data.size() > 220) {
            throw new IllegalStateException("data should be about 200 bytes, is " + data.size());
        }
        Request.Publish publish = new Request.Publish(42, "chat:general", data, null);
        frame = codec.encodeRequest(publish);
        if (!publish.equals(codec.decodeRequest(frame))) {
            throw new IllegalStateException("frame does not decode to the request it was made from");
        }
    }

    @Benchmark
    public void decodePublish(Blackhole bh) throws ProtocolException {
        bh.consume(codec.decodeRequest(frame));
    }
}
