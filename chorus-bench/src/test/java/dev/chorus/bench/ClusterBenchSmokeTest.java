package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ClusterBench} for a few seconds with tiny numbers over two nodes and the machine's
 * Redis, so the cluster harness cannot rot. Not a measurement: the figures are checked for sanity
 * and the ordering checks for zero. Skips visibly without Redis, except under CI=true.
 */
class ClusterBenchSmokeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String REDIS = System.getenv().getOrDefault("CHORUS_REDIS_URL", "redis://127.0.0.1:6379");
    private static final String PREFIX = "cbench-smoke-" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime(), 36);
    private static boolean redis;

    @BeforeAll
    static void needsRedis() {
        redis = BrokerCleanup.redisAvailable(REDIS);
        if (!redis) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Redis is required under CI=true at " + REDIS);
            }
            System.err.println("SKIPPED: no Redis at " + REDIS + ", ClusterBenchSmokeTest does not run");
        }
    }

    @AfterAll
    static void removeKeys() {
        if (redis) {
            // the run removes its own keys; this catches what a failed run left behind
            BrokerCleanup.redis(REDIS, PREFIX);
        }
    }

    private static ClusterBench bench(String setup) {
        ClusterBench b = new ClusterBench();
        new picocli.CommandLine(b).parseArgs("--setups", setup, "--root", ROOT.toString(), "--heap", "256m", "--threads", "1",
                "--source-addresses", "4", "--publishers-per-node", "1", "--subscribers", "20", "--channels", "4", "--size", "100",
                "--rate", "200", "--warmup", "1", "--duration", "2", "--redis-url", REDIS, "--prefix", PREFIX);
        return b;
    }

    @Test
    void twoNodesOverRedisDeliverEverythingInOneOrder() throws Exception {
        assumeTrue(redis, "no Redis");
        ClusterBench b = bench("redis:2");
        ClusterBench.Row row = b.runOne(ClusterBench.Setup.parse("redis:2"), PREFIX + "-1");
        ClusterFanOut.Result r = row.result();
        System.out.println(ClusterBench.header());
        System.out.println(ClusterBench.format(row));
        assertThat(r.delivered()).isPositive();
        // counted once each: never more than offered (rates are the benchmark's business, not a smoke run's)
        assertThat(r.deliveriesPerSecond()).isPositive().isLessThanOrEqualTo(r.expectedPerSecond() * 1.5);
        assertThat(r.p50ms()).isPositive().isLessThanOrEqualTo(r.p99ms());
        assertThat(r.serverCpu()).isPositive();
        assertThat(r.outOfOrder()).as("deliveries out of offset order").isZero();
        assertThat(r.disagreements()).as("offsets carrying different publications on different subscribers").isZero();
        // a publication some subscriber received reached all of them, on both nodes
        assertThat(r.notDelivered()).as("deliveries missing of publications others received").isZero();
        assertThat(r.neverSeen() + r.notDelivered()).isEqualTo(r.missing());
        // fire-and-forget publishes beyond a connection's request queue (64) are dropped unanswered; on two loaded
        // cores a stall can drop a few, so only a small share may be missing
        assertThat(r.missing()).as("deliveries never seen").isLessThanOrEqualTo(r.delivered() / 10);
        assertThat(r.closed()).isZero();
        assertThat(row.brokerEntriesDeleted()).as("the run's Redis keys were removed").isPositive();
        assertThat(BrokerCleanup.redis(REDIS, PREFIX + "-1:")).as("keys left after the run").isZero();
        assertThat(ClusterBench.format(row)).startsWith("| Redis | 2 |");
    }

    @Test
    void memoryBrokerServesOneNodeOnly() {
        assertThat(ClusterBench.Setup.parse("memory:1").nodes()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterBench.Setup.parse("memory:2"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
