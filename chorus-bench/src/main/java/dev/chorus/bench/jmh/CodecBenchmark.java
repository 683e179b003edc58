package dev.chorus.bench.jmh;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.Push;
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

/**
 * Decoding a {@code publish} request and encoding a {@code pub} push, per format and payload size:
 * the per-message work on the publish path (the push is encoded once per format per publication).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    @Param({"JSON", "MSGPACK"})
    public Format format;

    @Param({"64", "1024"})
    public int size;

    private Codec codec;
    private byte[] publishFrame;
    private Push.Pub push;

    @Setup
    public void setup() {
        codec = Codec.forFormat(format);
        String pad = "x".repeat(Math.max(0, size - 40));
        Payload data = Payload.ofJson("{\"text\":\"" + pad + "\",\"n\":12345,\"ok\":true}");
        publishFrame = codec.encodeRequest(new Request.Publish(17, "chat:lobby", data, "key-17"));
        push = new Push.Pub("chat:lobby", new Publication(42, "9f3a1c2e", 1_763_820_000_000L, data, ClientInfo.of("4c7e-client", "ann")));
    }

    @Benchmark
    public Request decodePublish() throws ProtocolException {
        return codec.decodeRequest(publishFrame);
    }

    @Benchmark
    public byte[] encodePub() {
        return codec.encodePush(push);
    }
}
