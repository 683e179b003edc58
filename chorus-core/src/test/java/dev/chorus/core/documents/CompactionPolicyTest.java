package dev.chorus.core.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionPolicyTest {
    @Test
    void defaultsAre500UpdatesOr1MiB() {
        CompactionPolicy p = CompactionPolicy.defaults();
        assertThat(p.maxUpdates()).isEqualTo(500);
        assertThat(p.maxBytes()).isEqualTo(1024 * 1024);
        assertThat(p.due(499, 1024 * 1024 - 1, 0)).isFalse();
        assertThat(p.due(500, 0, 0)).isTrue();
        assertThat(p.due(1, 1024 * 1024, 0)).isTrue();
        assertThat(p.due(0, 0, 0)).isFalse();
    }

    @Test
    void theUpdateCountAloneWaitsUntilTheLogIsHalfTheSnapshot() {
        CompactionPolicy p = CompactionPolicy.defaults();
        long snapshot = 800_000;
        assertThat(p.due(5_000, 399_999, snapshot)).as("5,000 small updates on a large document").isFalse();
        assertThat(p.due(5_000, 400_000, snapshot)).isTrue();
        assertThat(p.due(499, 500_000, snapshot)).as("the count rule still needs its count").isFalse();
        assertThat(p.due(1, 1024 * 1024, 10L << 20)).as("the byte rule does not wait for the snapshot").isTrue();
    }

    @Test
    void dueForALoadedDocumentCountsUpdatesAndBytesSinceTheSnapshot() {
        CompactionPolicy p = CompactionPolicy.builder().afterUpdates(3).afterBytes(10).build();
        StoredDocument two = new StoredDocument("d", new byte[100], 5,
                List.of(new StoredUpdate(6, new byte[4]), new StoredUpdate(7, new byte[5])));
        assertThat(p.due(two)).as("the snapshot's own size does not count").isFalse();
        StoredDocument countOnBigSnapshot = new StoredDocument("d", new byte[10], 5,
                List.of(new StoredUpdate(6, new byte[1]), new StoredUpdate(7, new byte[1]), new StoredUpdate(8, new byte[1])));
        assertThat(p.due(countOnBigSnapshot)).as("3 updates of 1 byte are less than half of 10").isFalse();
        StoredDocument bytes = new StoredDocument("d", null, 0,
                List.of(new StoredUpdate(1, new byte[4]), new StoredUpdate(2, new byte[6])));
        assertThat(p.due(bytes)).isTrue();
        StoredDocument count = new StoredDocument("d", null, 0,
                List.of(new StoredUpdate(1, new byte[1]), new StoredUpdate(2, new byte[1]), new StoredUpdate(3, new byte[1])));
        assertThat(p.due(count)).isTrue();
        assertThat(p.due(StoredDocument.empty("d"))).isFalse();
    }

    @Test
    void builderRefusesNonPositiveThresholdsAndRoundTrips() {
        assertThatThrownBy(() -> CompactionPolicy.builder().afterUpdates(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("updates");
        assertThatThrownBy(() -> CompactionPolicy.builder().afterBytes(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes");
        CompactionPolicy p = CompactionPolicy.builder().afterUpdates(7).afterBytes(99).build();
        CompactionPolicy copy = p.toBuilder().build();
        assertThat(copy.maxUpdates()).isEqualTo(7);
        assertThat(copy.maxBytes()).isEqualTo(99);
    }
}
