package dev.chorus.bench;

/** Per-connection protocol state the generator keeps: position for recovery, session ids. */
final class ClientState {
    /** Chorus: last offset and epoch seen per (single) channel. Socket.IO: last offset seen. */
    volatile long lastOffset;
    volatile String epoch = "";
    volatile String lastSocketIoOffset;
    /** Socket.IO: private session id for connection state recovery. */
    volatile String pid;
    /** Whether the last (re)subscribe was answered as recovered. */
    volatile boolean recovered;
    volatile boolean subscribed;
    String channel;
    int requestId;
    /** Recovery storm bookkeeping: last sequence number seen, and what went wrong. */
    long lastSeq = -1;
    long gaps;
    long duplicates;

    /** Checks one delivered sequence number against the last one (guarded by this object). */
    synchronized void see(long seq) {
        if (lastSeq < 0 || seq == lastSeq + 1) {
            lastSeq = seq;
        } else if (seq <= lastSeq) {
            duplicates++;
        } else {
            gaps += seq - lastSeq - 1;
            lastSeq = seq;
        }
    }

    synchronized long lastSeq() {
        return lastSeq;
    }
}
