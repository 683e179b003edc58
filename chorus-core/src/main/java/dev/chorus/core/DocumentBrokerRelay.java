package dev.chorus.core;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.documents.DocumentRelay;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Documents across nodes: every node that holds a document subscribes the broker to its internal
 * channel {@code %doc:<name>} (a name no client can use: {@code %} is not allowed in channel
 * names). A node publishes each update it stored there (without history: the update is in the
 * shared document store already) and each awareness update of its peers as an event; the other
 * nodes apply them and send them to their own peers.
 */
final class DocumentBrokerRelay implements DocumentRelay {
    private static final Logger log = LoggerFactory.getLogger(DocumentBrokerRelay.class);
    static final String PREFIX = "%doc:";
    private static final PublishOptions NO_HISTORY = new PublishOptions(0, Duration.ofSeconds(1), null, Duration.ofSeconds(1));

    private final Broker broker;
    private final String nodeName;
    private final Supplier<DocumentHub> hub;
    private final ClientInfo self;

    DocumentBrokerRelay(Broker broker, String nodeName, Supplier<DocumentHub> hub) {
        this.broker = broker;
        this.nodeName = nodeName;
        this.hub = hub;
        this.self = new ClientInfo(nodeName, "", null, null, 0);
    }

    @Override
    public CompletionStage<Void> join(String document) {
        return broker.subscribe(PREFIX + document);
    }

    @Override
    public void leave(String document) {
        broker.unsubscribe(PREFIX + document);
    }

    @Override
    public void stored(String document, byte[] update) {
        // built as a tree and written once (no JSON text parsed back); the node also rides in the info
        com.fasterxml.jackson.databind.node.ObjectNode tree = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        tree.put("n", nodeName);
        tree.put("u", Base64.getEncoder().encodeToString(update));
        broker.publish(PREFIX + document, Payload.of(tree), self, NO_HISTORY).whenComplete((r, err) -> {
            if (err != null) {
                log.warn("could not relay an update of document '{}' to other nodes (they load it from the store)", document, err);
            }
        });
    }

    @Override
    public void awareness(String document, byte[] update) {
        broker.publishEvent(PREFIX + document, new ChannelEvent.Signal("awareness",
                Payload.of(com.fasterxml.jackson.databind.node.TextNode.valueOf(Base64.getEncoder().encodeToString(update))), self));
    }

    /** Whether a channel is a document relay channel. */
    static boolean isRelayChannel(String channel) {
        return channel.startsWith(PREFIX);
    }

    /** A relayed update arrived (ignored when this node sent it). */
    void onPublication(String channel, Publication p) {
        // this node's own updates come back from the broker: known by the info, without parsing
        if (p.info() != null && nodeName.equals(p.info().client())) {
            return;
        }
        try {
            var tree = p.data().tree();
            if (nodeName.equals(tree.path("n").asText())) {
                return;
            }
            hub.get().remoteUpdate(channel.substring(PREFIX.length()), Base64.getDecoder().decode(tree.path("u").asText()));
        } catch (RuntimeException e) {
            log.warn("dropped a malformed document relay message on {}", channel, e);
        }
    }

    /** A relayed awareness update arrived (ignored when this node sent it). */
    void onEvent(String channel, ChannelEvent event) {
        if (!(event instanceof ChannelEvent.Signal s) || nodeName.equals(s.info().client())) {
            return;
        }
        try {
            hub.get().remoteAwareness(channel.substring(PREFIX.length()), Base64.getDecoder().decode(s.data().tree().asText()));
        } catch (RuntimeException e) {
            log.warn("dropped a malformed awareness relay message on {}", channel, e);
        }
    }
}
