package dev.chorus.core.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredDocumentTest {
    @Test
    void updatesMustFollowTheSnapshotWithoutGaps() {
        assertThatThrownBy(() -> new StoredDocument("d", new byte[1], 2, List.of(new StoredUpdate(4, new byte[1]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq 4 where 3");
        assertThatThrownBy(() -> new StoredDocument("d", null, 0,
                List.of(new StoredUpdate(1, new byte[1]), new StoredUpdate(1, new byte[1]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotAndSnapshotSeqGoTogether() {
        assertThatThrownBy(() -> new StoredDocument("d", null, 3, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredDocument("d", new byte[1], 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredDocument("d", null, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredUpdate(0, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void derivedCountsAndAnUnmodifiableList() {
        List<StoredUpdate> list = new ArrayList<>(List.of(new StoredUpdate(3, new byte[2]), new StoredUpdate(4, new byte[5])));
        StoredDocument d = new StoredDocument("d", new byte[9], 2, list);
        list.clear();
        assertThat(d.updateCount()).isEqualTo(2);
        assertThat(d.updateBytes()).isEqualTo(7);
        assertThat(d.lastSeq()).isEqualTo(4);
        assertThat(d.isEmpty()).isFalse();
        assertThatThrownBy(() -> d.updates().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(StoredDocument.empty("x").isEmpty()).isTrue();
    }
}
