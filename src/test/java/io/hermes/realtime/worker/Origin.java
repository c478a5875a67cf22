package io.hermes.realtime.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1, port 0, standing in for the site a user downloads from. Each test writes
 * its handlers inline. Handlers run on the origin's own threads, so one that stalls blocks nobody else;
 * {@link #close()} releases stalled handlers and stops every thread it started.
 */
final class Origin implements AutoCloseable {
    /** A request handler; the exchange is closed after it returns. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);

    Origin() throws IOException {
        AtomicInteger count = new AtomicInteger();
        threads = Executors.newCachedThreadPool(task -> new Thread(task, "test-origin-" + count.incrementAndGet()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** Serves {@code path} (exact match, without the query) with {@code handler}. */
    Origin on(String path, Handler handler) {
        handlers.put(path, handler);
        return this;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** How many requests reached {@code path}. */
    int hits(String path) {
        AtomicInteger counter = hits.get(path);
        return counter == null ? 0 : counter.get();
    }

    /** Blocks the calling handler until the test is over: a server that has stopped sending. */
    void stall() throws InterruptedException {
        released.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    private void dispatch(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try {
            Handler handler = handlers.get(path);
            if (handler == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                handler.handle(exchange);
            }
        } catch (IOException clientWentAway) {
            // expected when the transfer gives up mid-body
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
