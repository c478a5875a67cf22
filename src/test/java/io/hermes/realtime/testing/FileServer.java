package io.hermes.realtime.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that serves files for the worker to download:
 * {@code /fast/{bytes}} at once, {@code /slow/{bytes}} in 64 KiB pieces every {@code pauseMillis},
 * {@code /gated/{bytes}} as slow but its second half only once the test calls {@link #openGate()}, and
 * {@code /missing} as a 404. Content is a known pattern ({@link #expected}); requests are counted per path
 * and the moment a client hangs up mid-body is recorded.
 */
public final class FileServer implements AutoCloseable {
    private static final int PIECE = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Long> hangUps = new ConcurrentHashMap<>();
    private final int pauseMillis;
    /** Holds the second half of every {@code /gated/} file until the test opens it. */
    private final CountDownLatch gate = new CountDownLatch(1);

    public FileServer(int pauseMillis) throws IOException {
        this.pauseMillis = pauseMillis;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The byte at {@code position} of every served file. */
    public static byte expected(long position) {
        return (byte) (position * 31 % 251);
    }

    public int requestsFor(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /**
     * Lets every {@code /gated/} file, sent and still to come, finish: until then a download of one stays
     * running halfway, however slow or fast the machine, so a test can look at it mid-transfer.
     */
    public void openGate() {
        gate.countDown();
    }

    /** {@code System.nanoTime()} when the client of {@code path} hung up mid-body, or null. */
    public Long hangUpNanos(String path) {
        return hangUps.get(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, any -> new AtomicInteger()).incrementAndGet();
        String[] parts = path.split("/");
        try (exchange) {
            if (parts.length != 3 || !Set.of("fast", "slow", "gated").contains(parts[1])) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            long size = Long.parseLong(parts[2]);
            boolean slow = !parts[1].equals("fast");
            long gatedAt = parts[1].equals("gated") ? size / 2 : -1;
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, size);
            OutputStream out = exchange.getResponseBody();
            byte[] piece = new byte[PIECE];
            long sent = 0;
            try {
                while (sent < size) {
                    if (sent == gatedAt) {
                        gate.await();
                    }
                    long pieceEnd = gatedAt > sent ? Math.min(gatedAt, sent + PIECE) : sent + PIECE;
                    int length = (int) (Math.min(pieceEnd, size) - sent);
                    for (int i = 0; i < length; i++) {
                        piece[i] = expected(sent + i);
                    }
                    out.write(piece, 0, length);
                    out.flush();
                    sent += length;
                    if (slow) {
                        TimeUnit.MILLISECONDS.sleep(pauseMillis); // the fixture's pace, not synchronisation
                    }
                }
            } catch (IOException | InterruptedException hungUp) {
                hangUps.put(path, System.nanoTime());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
