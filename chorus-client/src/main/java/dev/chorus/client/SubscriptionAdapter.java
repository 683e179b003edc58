package dev.chorus.client;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;

/** A {@link SubscriptionListener} that ignores everything; override what you need. */
public abstract class SubscriptionAdapter implements SubscriptionListener {
    @Override
    public void onSubscribed(SubscribedEvent event) {
    }

    @Override
    public void onPublication(Publication publication) {
    }

    @Override
    public void onResync(StreamPosition newPosition) {
    }

    @Override
    public void onJoin(ClientInfo info) {
    }

    @Override
    public void onLeave(ClientInfo info) {
    }

    @Override
    public void onPresence(ClientInfo info) {
    }

    @Override
    public void onSignal(String key, Payload data, ClientInfo from) {
    }

    @Override
    public void onUnsubscribed(int code, String reason) {
    }

    @Override
    public void onError(ChorusException error) {
    }
}
