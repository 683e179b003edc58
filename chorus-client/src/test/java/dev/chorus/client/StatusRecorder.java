package dev.chorus.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records a client's connection events. */
class StatusRecorder extends ConnectionAdapter {
    final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    final List<ConnectionInfo> connects = new CopyOnWriteArrayList<>();
    final List<DisconnectInfo> disconnects = new CopyOnWriteArrayList<>();
    final List<ChorusException> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onStatusChanged(ConnectionStatus previous, ConnectionStatus current) {
        statuses.add(current);
    }

    @Override
    public void onConnected(ConnectionInfo info) {
        connects.add(info);
    }

    @Override
    public void onDisconnected(DisconnectInfo info) {
        disconnects.add(info);
    }

    @Override
    public void onError(ChorusException error) {
        errors.add(error);
    }
}
