package dev.chorus.core;

import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.documents.AwarenessBridge;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.internal.ChannelNames;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Awareness is presence: a Yjs client's awareness state is an entry of the document channel's
 * presence (client id {@code yjs:<awareness id>}), with join / presence / leave pushes for native
 * subscribers; and the presence states native clients set there are shown to the Yjs clients.
 * Applies only where the channel's namespace has presence on.
 */
final class AwarenessPresence implements AwarenessBridge {
    private static final Logger log = LoggerFactory.getLogger(AwarenessPresence.class);
    static final String CLIENT_PREFIX = "yjs:";

    private final Node node;

    AwarenessPresence(Node node) {
        this.node = node;
    }

    private NamespaceConfig presenceNamespace(String channel) {
        if (ChannelNames.problem(channel, node.config().limits().maxChannelLength()) != null) {
            return null;
        }
        NamespaceConfig ns = node.config().namespace(ChannelNames.namespace(channel));
        return ns != null && ns.presence() ? ns : null;
    }

    @Override
    public void awarenessChanged(String document, long awarenessClient, String user, Change change, String stateJson, long clock) {
        String channel = DocumentHub.channelFor(document);
        NamespaceConfig ns = presenceNamespace(channel);
        if (ns == null) {
            return;
        }
        String client = CLIENT_PREFIX + awarenessClient;
        if (change == Change.LEAVE) {
            ClientInfo info = new ClientInfo(client, user, null, null, clock);
            node.presenceStore().remove(channel, client).whenComplete((removed, err) -> {
                if (err != null) {
                    log.warn("cannot remove awareness client {} from presence of {}", client, channel, err);
                } else if (removed && ns.joinLeave()) {
                    node.broker().publishEvent(channel, new ChannelEvent.Leave(info));
                }
            });
            return;
        }
        Payload state;
        try {
            state = stateJson == null ? null : Payload.ofJson(stateJson);
        } catch (RuntimeException e) {
            return;
        }
        if (state != null && state.size() > node.config().limits().maxPresenceStateSize()) {
            return;
        }
        ClientInfo info = new ClientInfo(client, user, null, state, clock);
        node.presenceStore().put(channel, info, node.presenceTtlForBridge()).whenComplete((stored, err) -> {
            if (err != null) {
                log.warn("cannot put awareness client {} in presence of {}", client, channel, err);
                return;
            }
            if (!ns.joinLeave() || !stored) {
                return;
            }
            if (change == Change.JOIN) {
                node.broker().publishEvent(channel, new ChannelEvent.Join(info));
            } else if (change == Change.UPDATE) {
                node.broker().publishEvent(channel, new ChannelEvent.PresenceChange(info));
            }
        });
    }

    @Override
    public CompletionStage<List<NativeState>> nativeStates(String document) {
        String channel = DocumentHub.channelFor(document);
        if (presenceNamespace(channel) == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return node.presenceStore().get(channel).thenApply(all -> {
            List<NativeState> out = new ArrayList<>();
            all.forEach((client, info) -> {
                if (!client.startsWith(CLIENT_PREFIX) && info.state() != null) {
                    out.add(new NativeState(client, info.state().jsonString(), info.clock()));
                }
            });
            return out;
        });
    }
}
