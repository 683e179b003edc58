package dev.chorus.core.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DocumentStoreConfigTest {
    @Test
    void defaultsAndBuilder() {
        DocumentStoreConfig d = DocumentStoreConfig.defaults();
        assertThat(d.maxUpdateSize()).isEqualTo(1 << 20);
        assertThat(d.maxSnapshotSize()).isEqualTo(64 << 20);
        DocumentStoreConfig c = d.toBuilder().maxUpdateSize(10).build();
        assertThat(c.maxUpdateSize()).isEqualTo(10);
        assertThat(c.maxSnapshotSize()).isEqualTo(64 << 20);
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThatThrownBy(() -> DocumentStoreConfig.builder().maxUpdateSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUpdateSize");
        assertThatThrownBy(() -> DocumentStoreConfig.builder().maxSnapshotSize(-3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSnapshotSize");
    }
}
