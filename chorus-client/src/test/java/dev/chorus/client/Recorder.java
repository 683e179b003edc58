package dev.chorus.client;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event of a subscription, for assertions from the test thread. */
class Recorder implements SubscriptionListener {
    final List<SubscribedEvent> subscribed = new CopyOnWriteArrayList<>();
    final List<Publication> publications = new CopyOnWriteArrayList<>();
    final List<StreamPosition> resyncs = new CopyOnWriteArrayList<>();
    final List<ClientInfo> joins = new CopyOnWriteArrayList<>();
    final List<ClientInfo> leaves = new CopyOnWriteArrayList<>();
    final List<ClientInfo> presence = new CopyOnWriteArrayList<>();
    final List<Payload> signals = new CopyOnWriteArrayList<>();
    final List<ChorusException> errors = new CopyOnWriteArrayList<>();
    /** Publications and resyncs in the order they came ("pub:N" / "resync:N"). */
    final List<String> order = new CopyOnWriteArrayList<>();

    @Override
    public void onSubscribed(SubscribedEvent event) {
        subscribed.add(event);
    }

    @Override
    public void onPublication(Publication publication) {
        publications.add(publication);
        order.add("pub:" + publication.data().jsonString());
    }

    @Override
    public void onResync(StreamPosition newPosition) {
        resyncs.add(newPosition);
        order.add("resync");
    }

    @Override
    public void onJoin(ClientInfo info) {
        joins.add(info);
    }

    @Override
    public void onLeave(ClientInfo info) {
        leaves.add(info);
    }

    @Override
    public void onPresence(ClientInfo info) {
        presence.add(info);
    }

    @Override
    public void onSignal(String key, Payload data, ClientInfo from) {
        signals.add(data);
    }

    @Override
    public void onUnsubscribed(int code, String reason) {
    }

    @Override
    public void onError(ChorusException error) {
        errors.add(error);
    }

    /** The data of every publication received, as JSON text. */
    List<String> data() {
        return publications.stream().map(p -> p.data().jsonString()).toList();
    }
}
