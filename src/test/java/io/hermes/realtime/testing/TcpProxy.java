package io.hermes.realtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
                pump(client, server);
                pump(server, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (swallowed.contains(from)) {
                        continue; // lost in the partition
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
