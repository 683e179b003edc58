package dev.chorus.server.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

/** Three nodes over the machine's NATS with JetStream (127.0.0.1:4222), each test under its own prefix. */
class NatsClusterTest extends ClusterContract {

    private static String natsPrefix(String prefix) {
        return prefix.replace('-', '_');
    }

    @Override
    Map<String, String> brokerEnvironment(String prefix) {
        return Map.of("CHORUS_BROKER", "nats", "CHORUS_NATS_URL", "nats://127.0.0.1:4222", "CHORUS_NATS_PREFIX", natsPrefix(prefix));
    }

    @Override
    boolean brokerReachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 4222), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Deletes the prefix's JetStream streams (history and presence): JetStream storage lost. */
    @Override
    void loseBrokerData(String prefix) throws Exception {
        String p = natsPrefix(prefix);
        try (Connection nc = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            for (String name : jsm.getStreamNames()) {
                if (name.startsWith(p) || name.startsWith("KV_" + p)) {
                    try {
                        jsm.deleteStream(name);
                    } catch (JetStreamApiException gone) {
                        // deleted meanwhile
                    }
                }
            }
        }
    }
}
