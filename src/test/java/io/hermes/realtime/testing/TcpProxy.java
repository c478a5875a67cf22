package io.hermes.realtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the server, so a test can cut a browser's connections (as a network failure
 * would) and refuse new ones for a while, then let them through again; or act as a network partition
 * that neither delivers nor closes anything ({@link #blackHole()}).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Connections the black hole swallowed: they stay open and silent for good. */
    private final Set<Socket> swallowed = ConcurrentHashMap.newKeySet();
    /** Each proxied connection's other side, both ways. */
    private final Map<Socket, Socket> peers = new ConcurrentHashMap<>();
    /** Client sides that sent a Redis SUBSCRIBE: pub/sub connections. */
    private final Set<Socket> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private volatile boolean blackHoling;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Closes every proxied connection now; with {@code refuse}, new ones are closed at once too. */
    public void cut(boolean refuse) {
        refusing = refuse;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /** Lets connections through again. */
    public void restore() {
        refusing = false;
    }

    /**
     * From now on nothing gets through and nothing is closed: bytes on open connections are dropped, and
     * new connections are accepted (as a kernel's backlog does) but lead nowhere. Like a partition, a peer
     * with no FIN or RST to send; a test of timeouts and of silent-connection detection.
     */
    public void blackHole() {
        blackHoling = true;
        swallowed.addAll(open);
    }

    /**
     * Black-holes only the Redis pub/sub connections open now (those whose client sent SUBSCRIBE), both
     * ways, and closes nothing: the subscription dies silently, while every other connection, and every new
     * one, still gets through. Returns how many were swallowed.
     */
    public int blackHoleSubscribers() {
        int count = 0;
        for (Socket client : subscribers) {
            swallowed.add(client);
            Socket server = peers.get(client);
            if (server != null) {
                swallowed.add(server);
            }
            count++;
        }
        subscribers.clear();
        return count;
    }

    /**
     * New connections get through again. Those the black hole swallowed stay dead, as connections do when
     * the server behind a partition restarted meanwhile: only a timeout or a watchdog frees them.
     */
    public void heal() {
        blackHoling = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                if (blackHoling) {
                    swallowed.add(client); // held open, never read, never answered
                    open.add(client);
                    continue;
                }
                Socket server = new Socket("127.0.0.1", targetPort);
                open.add(client);
                open.add(server);
                peers.put(client, server);
                peers.put(server, client);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (swallowed.contains(from)) {
                        continue; // lost in the partition
                    }
                    if (fromClient && !subscribers.contains(from)
                            && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT)
                                    .contains("SUBSCRIBE")) {
                        subscribers.add(from);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException broken) {
                // one side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
                peers.remove(from);
                peers.remove(to);
                subscribers.remove(from);
            }
        }, "test-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut(true);
    }
}
