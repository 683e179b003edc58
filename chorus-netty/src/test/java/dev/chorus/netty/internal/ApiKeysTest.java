package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private final ApiKeys keys = new ApiKeys(Set.of("k-one", "k-two"));

    @Test
    void acceptsOnlyConfiguredKeysWithTheApikeyScheme() {
        assertThat(keys.enabled()).isTrue();
        assertThat(keys.accepts("apikey k-one")).isTrue();
        assertThat(keys.accepts("APIKEY k-two")).isTrue();
        assertThat(keys.accepts("apikey  k-one ")).isTrue();
        assertThat(keys.accepts("apikey k-on")).isFalse();
        assertThat(keys.accepts("apikey k-one1")).isFalse();
        assertThat(keys.accepts("Bearer k-one")).isFalse();
        assertThat(keys.accepts("k-one")).isFalse();
        assertThat(keys.accepts("apikey ")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
        assertThat(new ApiKeys(Set.of()).enabled()).isFalse();
        assertThat(new ApiKeys(Set.of()).accepts("apikey ")).isFalse();
    }
}
