package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import java.time.Duration;
import java.util.List;

/**
 * Scenario (b): N subscribed connections doing nothing but heartbeats; the server's heap (after a
 * full GC) and RSS per connection, against the same figures before they connected.
 */
final class Idle {
    record Result(String server, int connections, long heapBefore, long heapAfter, long rssBefore, long rssAfter) {
        double heapPerConnection() {
            return (heapAfter - heapBefore) / (double) connections;
        }

        double rssPerConnection() {
            return (rssAfter - rssBefore) / (double) connections;
        }
    }

    private Idle() {
    }

    static Result run(ServerProcess server, Driver driver, int connections, int channels, Duration settle) throws Exception {
        long heapBefore = server.heapAfterGc();
        long rssBefore = server.rss();
        List<BenchClient> clients = driver.subscribers(connections, i -> "idle" + (i % channels), 600);
        // let heartbeats run (a ping/pong round for every connection) before measuring
        Thread.sleep(settle.toMillis());
        long heapAfter = server.heapAfterGc();
        long rssAfter = server.rss();
        long alive = clients.stream().filter(c -> c.channel != null && c.channel.isActive()).count();
        if (alive != connections) {
            throw new IllegalStateException("only " + alive + " of " + connections + " connections alive after " + settle);
        }
        clients.forEach(BenchClient::close);
        return new Result(server.kind.label(), connections, heapBefore, heapAfter, rssBefore, rssAfter);
    }
}
