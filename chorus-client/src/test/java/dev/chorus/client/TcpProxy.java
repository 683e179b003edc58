package dev.chorus.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between a client and a server on 127.0.0.1, so a test can cut connections, refuse
 * new ones, or hold back what the server sends.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and forwarded so far. */
    int accepted() {
        return accepted.get();
    }

    /** While true, new connections are closed at once (the server looks down). */
    void refuse(boolean v) {
        refusing = v;
    }

    /** Cuts every open connection (both sides see a reset / EOF, no close frame). */
    void cutAll() {
        for (Link l : links) {
            l.close();
        }
        links.clear();
    }

    /** From now on, bytes from the server on the open connections are kept back (and lost at the cut). */
    void holdDownstream() {
        for (Link l : links) {
            l.hold = true;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket down;
            try {
                down = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(down);
                continue;
            }
            try {
                Socket up = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                down.setTcpNoDelay(true);
                up.setTcpNoDelay(true);
                Link l = new Link(down, up);
                links.add(l);
                accepted.incrementAndGet();
                l.start();
            } catch (IOException e) {
                closeQuietly(down);
            }
        }
    }

    private static final class Link {
        final Socket down;
        final Socket up;
        volatile boolean hold;
        final ByteArrayOutputStream held = new ByteArrayOutputStream();

        Link(Socket down, Socket up) {
            this.down = down;
            this.up = up;
        }

        void start() {
            pump(down, up, false);
            pump(up, down, true);
        }

        private void pump(Socket from, Socket to, boolean downstream) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (downstream && hold) {
                            synchronized (held) {
                                held.write(buf, 0, n);
                            }
                            continue;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // cut
                } finally {
                    close();
                }
            }, "proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        void close() {
            closeQuietly(down);
            closeQuietly(up);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        cutAll();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
