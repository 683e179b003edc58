package dev.chorus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
    @Test
    void defaults() {
        RedisConfig c = RedisConfig.builder().build();
        assertThat(c.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.keyPrefix()).isEqualTo("chorus:");
        assertThat(c.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.pubSubMode()).isEqualTo(RedisConfig.PubSubMode.AUTO);
        assertThat(c.toBuilder().keyPrefix("x:").build().keyPrefix()).isEqualTo("x:");
    }

    @Test
    void badValuesAreRefusedWithAReason() {
        RedisConfig.Builder b = RedisConfig.builder();
        assertThatThrownBy(() -> b.uri("http://localhost")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> b.uri("redis:///0")).hasMessageContaining("no host");
        assertThatThrownBy(() -> b.uri("redis://a b")).hasMessageContaining("invalid Redis URI");
        assertThatThrownBy(() -> b.keyPrefix("a{b")).hasMessageContaining("hash tags");
        assertThatThrownBy(() -> b.keyPrefix("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO)).hasMessageContaining("commandTimeout must be positive");
        assertThatThrownBy(() -> b.reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("> max");
        assertThatThrownBy(() -> b.maxIdempotencyKeys(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> b.clientName("a b")).hasMessageContaining("client name");
    }

    @Test
    void thePasswordStaysOutOfLogs() {
        RedisConfig c = RedisConfig.builder().uri("redis://user:secret@host:6379/0").build();
        assertThat(c.redactedUri()).isEqualTo("redis://***@host:6379/0");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void redisVersionsAreRead() {
        assertThat(RedisBroker.majorVersion("# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:0\r\n")).isEqualTo(7);
        assertThat(RedisBroker.majorVersion("redis_version:6.2.1")).isEqualTo(6);
        assertThat(RedisBroker.majorVersion("nothing")).isZero();
    }
}
