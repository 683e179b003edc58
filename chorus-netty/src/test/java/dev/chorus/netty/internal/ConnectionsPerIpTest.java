package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionsPerIpTest {

    @Test
    void countsUpToTheLimitAndGivesBackOnClose() {
        ConnectionsPerIp perIp = new ConnectionsPerIp(2);
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        String ip = ConnectionsPerIp.ip(a);
        assertThat(perIp.acquire(a)).isTrue();
        assertThat(perIp.acquire(a)).isTrue(); // a channel counts once
        assertThat(perIp.acquire(b)).isTrue();
        assertThat(perIp.count(ip)).isEqualTo(2);
        assertThat(perIp.acquire(c)).isFalse();
        assertThat(perIp.count(ip)).isEqualTo(2);
        a.close();
        assertThat(perIp.count(ip)).isEqualTo(1);
        assertThat(perIp.acquire(c)).isTrue();
        perIp.release(c);
        perIp.release(c);
        assertThat(perIp.count(ip)).isEqualTo(1);
        b.close();
        c.close();
        assertThat(perIp.count(ip)).isZero();
    }

    @Test
    void zeroMeansNoLimitAndNoCounting() {
        ConnectionsPerIp perIp = new ConnectionsPerIp(0);
        for (int i = 0; i < 100; i++) {
            assertThat(perIp.acquire(new EmbeddedChannel())).isTrue();
        }
        assertThat(perIp.count(ConnectionsPerIp.ip(new EmbeddedChannel()))).isZero();
    }
}
