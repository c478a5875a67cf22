package io.hermes.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Opens many SSE streams from one process and measures what they receive.
 *
 * <p>Phases: open every stream (ramped) and wait until each has its {@code connected} event or has
 * failed; signal readiness through {@code --ready-file}; wait for the publisher to write the number of
 * events it sent to {@code --expect-file} (or, without one, measure for {@code --seconds}); wait up to
 * {@code --grace} seconds for stragglers; report. Every wait is bounded by {@code --max-seconds}.
 */
public final class LoadGenerator {
    private static final Set<String> OPTIONS = Set.of("url", "clients", "threads", "bind", "max-pending",
            "handshake-timeout", "ready-file", "expect-file", "grace", "seconds", "max-seconds", "json", "bearer",
            "dialect", "stall", "stall-wait");

    private LoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
            run(args);
        } catch (IllegalArgumentException badOption) {
            System.err.println("LoadGenerator: " + badOption.getMessage());
            System.exit(2);
        }
    }

    private static void run(Args args) throws Exception {
        URI url = URI.create(args.text("url", "http://127.0.0.1:8080/api/v1/events/stream?channels=queue"));
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host[:port]/path (TLS is not supported)");
        }
        int count = args.integer("clients", 100, 1, 1_000_000);
        int threads = args.integer("threads", 1, 1, 64);
        int maxPending = args.integer("max-pending", 32, 1, 100_000);
        long handshakeTimeout = TimeUnit.SECONDS.toNanos(args.integer("handshake-timeout", 30, 1, 3600));
        double grace = args.decimal("grace", 5, 0);
        double seconds = args.decimal("seconds", 30, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.integer("max-seconds", 900, 1, 86_400));
        String expectFile = args.text("expect-file", null);
        String readyFile = args.text("ready-file", null);
        String json = args.text("json", null);
        StreamDialect dialect = StreamDialect.named(args.text("dialect", "hermes"));
        int stalled = args.integer("stall", 0, 0, count);
        double stallWait = args.decimal("stall-wait", 15, 0);

        int port = url.getPort() < 0 ? 80 : url.getPort();
        InetSocketAddress server = new InetSocketAddress(url.getHost(), port);
        byte[] request = request(url, port, args.text("bearer", null));
        List<SourcePorts> binds = new ArrayList<>();
        for (String address : args.list("bind")) {
            binds.add(new SourcePorts(InetAddress.getByName(address)));
        }

        List<SseClient> clients = new ArrayList<>(count);
        List<LoopMetrics> metrics = new ArrayList<>();
        List<EventLoop> loops = new ArrayList<>();
        List<Thread> loopThreads = new ArrayList<>();
        List<List<SseClient>> perLoop = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            metrics.add(new LoopMetrics());
            perLoop.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            int loop = i % threads;
            SourcePorts bind = binds.isEmpty() ? null : binds.get(i % binds.size());
            // The stalled clients are spread over the run (client 0, then every count/stalled-th).
            boolean stalls = stalled > 0 && i % (count / stalled) == 0 && i / (count / stalled) < stalled;
            SseClient client = new SseClient(server, bind, request, metrics.get(loop), dialect, stalls);
            clients.add(client);
            perLoop.get(loop).add(client);
        }
        warmUpParsing();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            EventLoop loop = new EventLoop(perLoop.get(t), metrics.get(t), Math.max(1, maxPending / threads),
                    handshakeTimeout);
            loops.add(loop);
            Thread thread = new Thread(loop, "bench-loop-" + t);
            loopThreads.add(thread);
            thread.start();
        }

        waitUntil(() -> settled(metrics) >= count, deadline);
        long ready = System.nanoTime();
        int connected = metrics.stream().mapToInt(m -> m.connected.get()).sum();
        String readiness = "connected=" + connected + " failed=" + (count - connected);
        System.err.printf("LoadGenerator ready: %s after %.2f s%n", readiness, (ready - started) / 1e9);
        if (readyFile != null) {
            writeAtomically(Path.of(readyFile), readiness + "\n");
        }

        int expected;
        String expectedSource;
        long measureEnd;
        if (expectFile != null) {
            Path file = Path.of(expectFile);
            waitUntil(() -> Files.exists(file), deadline);
            measureEnd = System.nanoTime();
            expected = Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
            expectedSource = "publisher";
            long target = (long) expected * connected;
            long graceEnd = Math.min(deadline, System.nanoTime() + (long) (grace * 1e9));
            waitUntil(() -> distinct(metrics) >= target, graceEnd);
        } else {
            long end = Math.min(deadline, System.nanoTime() + (long) (seconds * 1e9));
            waitUntil(() -> false, end);
            measureEnd = System.nanoTime();
            expected = -1;
            expectedSource = "inferred from the highest seq received";
        }

        if (stalled > 0) {
            loops.forEach(EventLoop::drainStalled);
            long stallEnd = Math.min(deadline, System.nanoTime() + (long) (stallWait * 1e9));
            waitUntil(() -> clients.stream().noneMatch(c -> c.stalls() && c.isOpen()), stallEnd);
        }
        loops.forEach(EventLoop::stop);
        for (Thread thread : loopThreads) {
            thread.join();
        }
        if (expected < 0) {
            expected = clients.stream().mapToInt(c -> c.seqs().highest() + 1).max().orElse(0);
        }
        RunReport report = new RunReport(count, clients, metrics, expected, expectedSource,
                (ready - started) / 1e9, (measureEnd - ready) / 1e9);
        System.out.print(report.lines());
        if (json != null) {
            report.writeJson(Path.of(json));
        }
    }

    /**
     * Runs the parsing path on a synthetic stream before any connection opens. Without it the first event
     * is parsed by a cold JVM (class loading, interpreter) while every other stream's copy waits behind
     * it, and that one event's tens of milliseconds become the run's p99.9 and max.
     */
    private static void warmUpParsing() {
        String event = "id: 1-0\nevent: queue_update\ndata: {\"action\":\"status_changed\",\"seq\":1,"
                + "\"sent_at_us\":1,\"padding\":\"xxxxxxxx\"}\n\n";
        byte[] chunk = (Integer.toHexString(event.length()) + "\r\n" + event + "\r\n").getBytes(StandardCharsets.UTF_8);
        long[] seqs = new long[1];
        SseParser parser = new SseParser((id, type, data) -> seqs[0] += BenchPayload.parse(data).seq());
        ChunkedDecoder decoder = new ChunkedDecoder();
        org.HdrHistogram.Histogram histogram = new org.HdrHistogram.Histogram(3);
        for (int i = 0; i < 20_000; i++) {
            decoder.feed(chunk, 0, chunk.length, parser::feed);
            histogram.recordValue(i);
        }
        if (seqs[0] != 20_000) {
            throw new IllegalStateException("the parsers failed their warm-up: " + seqs[0] + " events");
        }
    }

    private static byte[] request(URI url, int port, String bearer) {
        String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target += "?" + url.getRawQuery();
        }
        StringBuilder request = new StringBuilder()
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(port).append("\r\n")
                .append("Accept: text/event-stream\r\n")
                .append("Cache-Control: no-cache\r\n")
                .append("User-Agent: hermes-bench\r\n");
        if (bearer != null) {
            request.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int settled(List<LoopMetrics> metrics) {
        return metrics.stream().mapToInt(LoopMetrics::settled).sum();
    }

    private static long distinct(List<LoopMetrics> metrics) {
        return metrics.stream().mapToLong(m -> m.distinctDeliveries.get()).sum();
    }

    /** Polls every 20 ms until the condition holds or the deadline passes; both outcomes just return. */
    private static void waitUntil(Condition condition, long deadlineNanos) throws Exception {
        while (!condition.holds() && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(20);
        }
    }

    /** Readers (the run script) must never see half a file, so it is written aside and renamed. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }
}
