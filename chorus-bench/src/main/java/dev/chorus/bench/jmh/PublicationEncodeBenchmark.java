package dev.chorus.bench.jmh;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.Push;
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
 * Time to encode one {@code pub} push ({@link Push.Pub}: channel, offset, epoch, time, data and
 * publisher) with {@link Codec#encodePush}, per {@link Format} and data size: the work done once
 * per format for each publication, whatever the number of subscribers. The same {@link Payload}
 * is reused, as in the engine, so its MessagePack form is converted once (in setup) and then only
 * copied into the frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PublicationEncodeBenchmark {
    @Param({"JSON", "MSGPACK"})
    public Format format;

    /** Size of the data's compact JSON text in bytes (exact). */
    @Param({"64", "1024"})
    public int payloadSize;

    private Codec codec;
    private Push.Pub push;

    @Setup
    public void setup() {
        codec = Codec.forFormat(format);
        Payload data = payloadOfSize(payloadSize);
        ClientInfo publisher = ClientInfo.of("0b7c9e4a-5f1d-4c2e-9a77-3d6f1e2b8c40", "user-48213");
        push = new Push.Pub("chat:general", new Publication(1_234_567, "e3f1a9c2", 1_763_820_000_123L, data, publisher));
        codec.encodePush(push); // fills the payload's cached MessagePack form, as the first subscriber would
    }

    /** A JSON object {@code {"text":"xx…"}} whose compact text is exactly {@code size} bytes. */
    static Payload payloadOfSize(int size) {
        String empty = "{\"text\":\"\"}";
        if (size < empty.length()) {
            throw new IllegalArgumentException("payload size below " + empty.length());
        }
        Payload p = Payload.ofJson("{\"text\":\"" + "x".repeat(size - empty.length()) + "\"}");
        if (p.size() != size) {
            throw new IllegalStateException("payload is " + p.size() + " bytes, wanted " + size);
        }
        return p;
    }

    @Benchmark
    public void encodePub(Blackhole bh) {
        bh.consume(codec.encodePush(push));
    }
}
