package dev.chorus.client;

/** A {@link ConnectionListener} that ignores everything; override what you need. */
public abstract class ConnectionAdapter implements ConnectionListener {
    @Override
    public void onStatusChanged(ConnectionStatus previous, ConnectionStatus current) {
    }

    @Override
    public void onConnected(ConnectionInfo info) {
    }

    @Override
    public void onDisconnected(DisconnectInfo info) {
    }

    @Override
    public void onError(ChorusException error) {
    }
}
