package dev.chorus.e2e;

import dev.chorus.core.Chorus;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.protocol.Format;
import dev.chorus.testkit.TestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts a Chorus on 127.0.0.1 with an ephemeral port and opens test clients against it. */
final class ServerFixture implements AutoCloseable {
    final Chorus chorus;
    private final List<TestClient> clients = new ArrayList<>();

    private ServerFixture(Chorus chorus) {
        this.chorus = chorus;
    }

    /** A dev-mode server, with the builder customised by {@code customize}. */
    static ServerFixture start(UnaryOperator<Chorus.Builder> customize) {
        return start(ChorusConfig.devDefaults(), customize);
    }

    static ServerFixture start(ChorusConfig config, UnaryOperator<Chorus.Builder> customize) {
        Chorus chorus = customize.apply(Chorus.builder().config(config)).build().start();
        return new ServerFixture(chorus);
    }

    static ServerFixture dev() {
        return start(b -> b);
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + chorus.port() + "/ws");
    }

    /** A client that is connected (the connect request answered) in the given format. */
    TestClient client(Format format) {
        TestClient c = TestClient.connect(wsUri(), format);
        clients.add(c);
        c.connect();
        return c;
    }

    TestClient client() {
        return client(Format.JSON);
    }

    /** A WebSocket that has not sent connect yet. */
    TestClient rawClient(Format format) {
        TestClient c = TestClient.connect(wsUri(), format);
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        for (TestClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already closed by the server
            }
        }
        chorus.close();
    }
}
