package dev.chorus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.broker.HistoryResult;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The per-channel ordering with history reads answered by hand, so every interleaving is exact. */
class ChannelFeedTest {
    private final List<Publication> delivered = new ArrayList<>();
    private final List<StreamPosition> reads = new ArrayList<>();
    private final List<CompletableFuture<HistoryResult>> answers = new ArrayList<>();
    private final ChannelFeed feed = new ChannelFeed("ch", new ChannelFeed.Host() {
        @Override
        public CompletionStage<HistoryResult> read(String channel, StreamPosition since) {
            reads.add(since);
            CompletableFuture<HistoryResult> f = new CompletableFuture<>();
            answers.add(f);
            return f;
        }

        @Override
        public void deliver(String channel, Publication p) {
            delivered.add(p);
        }

        @Override
        public void retryLater(Runnable task) {
            task.run();
        }
    }, 100);

    private static Publication pub(long offset) {
        return new Publication(offset, "e", offset, Payload.ofJson("" + offset), null);
    }

    private void answer(long top, long... offsets) {
        List<Publication> pubs = new ArrayList<>();
        for (long o : offsets) {
            pubs.add(pub(o));
        }
        answers.get(answers.size() - 1).complete(new HistoryResult(new StreamPosition(top, "e"), pubs));
    }

    private List<Long> offsets() {
        return delivered.stream().map(Publication::offset).toList();
    }

    @Test
    void aPublicationCountedByThePositionReadButArrivingLaterIsStillDelivered() {
        feed.init();
        answer(1);
        feed.onLive(pub(1));
        feed.onLive(pub(2));
        assertThat(offsets()).containsExactly(1L, 2L);
    }

    @Test
    void publicationsArrivingDuringThePositionReadWaitAndFollowInOrder() {
        feed.init();
        feed.onLive(pub(5));
        feed.onLive(pub(6));
        assertThat(delivered).isEmpty();
        answer(6);
        assertThat(offsets()).containsExactly(5L, 6L);
    }

    @Test
    void aGapIsFilledFromHistoryAndDuplicatesAreDropped() {
        feed.init();
        answer(0);
        feed.onLive(pub(1));
        feed.onLive(pub(4));
        assertThat(reads).containsExactly(null, new StreamPosition(1, "e"));
        feed.onLive(pub(5));
        answer(4, 2, 3, 4);
        feed.onLive(pub(4));
        feed.onLive(pub(6));
        assertThat(offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void afterAReconnectTheMissedOnesComeFromHistoryBeforeAnyLiveOne() {
        feed.init();
        answer(0);
        feed.onLive(pub(1));
        feed.suspend();
        feed.onLive(pub(4));
        feed.resume();
        assertThat(reads).last().isEqualTo(new StreamPosition(1, "e"));
        feed.onLive(pub(5));
        answer(4, 2, 3, 4);
        assertThat(offsets()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void whatHistoryNoLongerHasIsSkippedVisibly() {
        feed.init();
        answer(0);
        feed.onLive(pub(1));
        feed.onLive(pub(9));
        answer(9, 8, 9);
        assertThat(offsets()).containsExactly(1L, 8L, 9L);
    }

    @Test
    void aFailedReadIsRetriedAndNothingIsDeliveredOutOfOrderMeanwhile() {
        feed.init();
        answer(0);
        feed.onLive(pub(1));
        feed.onLive(pub(3));
        answers.get(answers.size() - 1).completeExceptionally(new RuntimeException("down"));
        feed.onLive(pub(4));
        assertThat(offsets()).containsExactly(1L);
        assertThat(reads).hasSize(3);
        answer(4, 2, 3, 4);
        assertThat(offsets()).containsExactly(1L, 2L, 3L, 4L);
    }
}
