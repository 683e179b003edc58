package dev.chorus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatsConfigTest {
    @Test
    void defaults() {
        NatsConfig c = NatsConfig.builder().build();
        assertThat(c.url()).isEqualTo("nats://127.0.0.1:4222");
        assertThat(c.prefix()).isEqualTo("chorus");
        assertThat(c.streamName()).isEqualTo("chorus_history");
        assertThat(c.presenceBucket()).isEqualTo("chorus_presence");
        assertThat(c.maxHistorySize()).isEqualTo(10_000);
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> NatsConfig.builder().prefix("a.b").build()).hasMessageContaining("prefix");
        assertThatThrownBy(() -> NatsConfig.builder().prefix("").build()).hasMessageContaining("prefix");
        assertThatThrownBy(() -> NatsConfig.builder().url("http://x").build()).hasMessageContaining("nats://");
        assertThatThrownBy(() -> NatsConfig.builder().requestTimeout(Duration.ZERO).build()).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> NatsConfig.builder().maxHistorySize(0).build()).hasMessageContaining("maxHistorySize");
        assertThatThrownBy(() -> NatsConfig.builder().maxHistoryTtl(Duration.ofMinutes(1)).maxIdempotencyWindow(Duration.ofMinutes(2)).build())
                .hasMessageContaining("maxIdempotencyWindow");
        assertThatThrownBy(() -> NatsConfig.builder().replicas(0).build()).hasMessageContaining("replicas");
        assertThatThrownBy(() -> NatsConfig.builder().maxHistoryBytes(0).build()).hasMessageContaining("maxHistoryBytes");
    }

    @Test
    void aBrokerThatWasNotStartedRefusesWork() {
        NatsBroker b = NatsBroker.create(NatsConfig.builder().build());
        try {
            assertThatThrownBy(() -> b.subscribe("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        } finally {
            b.close();
        }
        assertThatThrownBy(() -> b.subscribe("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
