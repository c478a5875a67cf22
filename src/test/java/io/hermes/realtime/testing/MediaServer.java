package io.hermes.realtime.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link TestMedia} on loopback as a web server would, with the content type of each file, at a pace
 * the test chooses ({@code bytesPerTick} every 20 ms), so progress has steps to show. For the private-address
 * tests, {@code /redirect?to=URL} answers 302 to that URL and {@code /page?video=URL} is a page whose video is there.
 */
public final class MediaServer implements AutoCloseable {
    private static final int TICK_MILLIS = 20;
    private static final Map<String, String> TYPES = Map.of("mp4", "video/mp4", "m3u8", "application/vnd.apple.mpegurl",
            "ts", "video/mp2t", "mpd", "application/dash+xml", "m4s", "video/iso.segment", "jpg", "image/jpeg",
            "vtt", "text/vtt", "html", "text/html; charset=utf-8", "xml", "application/rss+xml");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Path root;
    private volatile int bytesPerTick;
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    /** Serves on {@code host} (127.0.0.1, or another loopback address such as 127.0.0.2). */
    public MediaServer(String host, int bytesPerTick) throws IOException, InterruptedException {
        this.root = TestMedia.directory();
        this.bytesPerTick = bytesPerTick;
        this.server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public URI uri(String pathAndQuery) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + pathAndQuery);
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    public void pace(int bytesPerTick) {
        this.bytesPerTick = bytesPerTick;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/page")) { // a page whose video is wherever ?video= says
                String video = exchange.getRequestURI().getQuery().substring("video=".length());
                byte[] page = ("<!DOCTYPE html><html><head><title>Elsewhere</title></head><body><video src=\""
                        + video + "\"></video></body></html>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                return;
            }
            if (path.equals("/redirect")) {
                String to = exchange.getRequestURI().getQuery().substring("to=".length());
                exchange.getResponseHeaders().add("Location", to);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
            exchange.getResponseHeaders().add("Content-Type", type);
            long size = Files.size(file);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                byte[] piece = new byte[Math.max(1, bytesPerTick)];
                int read;
                while ((read = in.read(piece, 0, Math.max(1, Math.min(piece.length, bytesPerTick)))) > 0) {
                    out.write(piece, 0, read);
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(TICK_MILLIS); // the fixture's pace, not synchronisation
                }
            } catch (IOException | InterruptedException hungUp) {
                // the client went away (a cancelled download): nothing to do
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
