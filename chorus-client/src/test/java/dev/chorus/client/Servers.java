package dev.chorus.client;

import dev.chorus.core.Chorus;
import dev.chorus.core.config.ChorusConfig;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Real servers started in-process on 127.0.0.1, and clients for them. */
final class Servers {
    private Servers() {
    }

    /** A dev-mode configuration (history and presence on everywhere) that shuts down quickly. */
    static ChorusConfig.Builder devConfig() {
        return ChorusConfig.devDefaults().toBuilder().shutdownGrace(Duration.ofMillis(200));
    }

    static Chorus start(ChorusConfig config, UnaryOperator<Chorus.Builder> customize) {
        return customize.apply(Chorus.builder().config(config)).build().start();
    }

    static Chorus dev() {
        return start(devConfig().build(), b -> b);
    }

    static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** A client builder with short reconnect delays, as tests want. */
    static ChorusClient.Builder client(int port) {
        return ChorusClient.builder(uri(port)).reconnectDelay(Delay.fullJitter(Duration.ofMillis(20), Duration.ofMillis(200)));
    }
}
