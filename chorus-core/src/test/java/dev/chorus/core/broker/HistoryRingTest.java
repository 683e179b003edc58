package dev.chorus.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring against a plain list model, across wrap-arounds, growth, shrinking sizes and expiry. */
class HistoryRingTest {

    private record Kept(Publication pub, long expiresAt) {
    }

    private static Publication pub(long offset) {
        return new Publication(offset, "e", 0, Payload.ofJson(Long.toString(offset)), null);
    }

    @Test
    void behavesLikeABoundedListUnderRandomOperations() {
        Random random = new Random(42);
        HistoryRing ring = new HistoryRing();
        ArrayDeque<Kept> model = new ArrayDeque<>();
        long offset = 0;
        long now = 1_000;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 6) {
                int size = 1 + random.nextInt(random.nextBoolean() ? 5 : 40);
                long expiresAt = now + 1 + random.nextInt(50);
                offset++;
                ring.append(pub(offset), expiresAt, size);
                model.addLast(new Kept(pub(offset), expiresAt));
                while (model.size() > size) {
                    model.removeFirst();
                }
            } else if (op < 7) {
                now += random.nextInt(20);
                ring.trimExpired(now);
                while (!model.isEmpty() && model.peekFirst().expiresAt <= now) {
                    model.removeFirst();
                }
            } else {
                long after = offset - random.nextInt(60);
                int limit = random.nextInt(12) - 1;
                boolean reverse = random.nextBoolean();
                assertThat(ring.select(Math.max(0, after), limit, reverse, now))
                        .as("step %d", step)
                        .isEqualTo(expected(model, Math.max(0, after), limit, reverse, now));
            }
            assertThat(ring.size()).isEqualTo(model.size());
        }
    }

    private static List<Publication> expected(ArrayDeque<Kept> model, long after, int limit, boolean reverse, long now) {
        List<Publication> live = new ArrayList<>();
        for (Kept k : model) {
            if (k.pub.offset() > after && k.expiresAt > now) {
                live.add(k.pub);
            }
        }
        if (reverse) {
            java.util.Collections.reverse(live);
        }
        return limit < 0 || live.size() <= limit ? live : live.subList(0, limit);
    }

    @Test
    void refusesAGapInOffsets() {
        HistoryRing ring = new HistoryRing();
        ring.append(pub(1), Long.MAX_VALUE, 10);
        assertThatThrownBy(() -> ring.append(pub(3), Long.MAX_VALUE, 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not follow");
        assertThat(ring.select(0, -1, false, 0)).extracting(Publication::offset).containsExactly(1L);
    }

    @Test
    void sizeZeroKeepsNothing() {
        HistoryRing ring = new HistoryRing();
        ring.append(pub(1), Long.MAX_VALUE, 0);
        assertThat(ring.isEmpty()).isTrue();
    }
}
