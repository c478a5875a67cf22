package io.hermes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The clients of the reconnect-storm scenario ({@code bench/run-reconnect-storm.sh}): N streams that resume
 * with {@code Last-Event-ID} after the server goes away, and what they saw.
 *
 * <p>Phases, each bounded by {@code --max-seconds}: open every stream (ramped) and wait until each is live
 * (or {@code --ready-timeout} passes), then write {@code --ready-file}; wait for {@code --stop-file}, in which
 * the script writes the moment (epoch µs) it stopped or killed the server; from then on wait until every
 * client that was live at that moment is live again, or {@code --window} seconds have passed, and write
 * {@code --back-file}; wait for the publisher's {@code --published-file} (its log, complete once
 * {@code --published-count} exists); wait up to {@code --grace} seconds for deliveries still on their way;
 * stop the clients and report.
 *
 * <p>Definitions (all times on this machine's wall clock, which the publisher shares):
 * <ul>
 * <li>A client <em>drops</em> when the live connection it had at the stop ends; it is <em>back</em> when a
 * later connection goes live. Its back time is that moment minus the stop.
 * <li>{@code back_s_p99} is the time from the stop until 99 % of the clients live at the stop were back (the
 * ⌈0.99·n⌉-th back time), {@code back_s_all} until all were; {@code never} when that many never came back.
 * <li>The events a client is owed are those whose publish was acknowledged and stamped ({@code sent_at_us},
 * taken just before the publish call) at or after the moment the client first went live. One of those it
 * never received is <em>lost</em>; one it received more than once counts as <em>duplicated</em> (each extra
 * copy). Clients that never came back are left out of the loss and counted apart.
 * </ul>
 */
public final class ReconnectStorm {
    private static final Set<String> OPTIONS = Set.of("url", "clients", "threads", "bind", "max-pending",
            "handshake-timeout", "bearer", "dialect", "default-retry-ms", "ready-file", "ready-timeout", "stop-file",
            "back-file", "window", "published-file", "published-count", "grace", "max-seconds", "json", "clients-file");

    private ReconnectStorm() {
    }

    public static void main(String[] argv) throws Exception {
        try {
            run(new Args(argv, OPTIONS));
        } catch (IllegalArgumentException badOption) {
            System.err.println("ReconnectStorm: " + badOption.getMessage());
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
        StreamDialect dialect = StreamDialect.named(args.text("dialect", "hermes"));
        long defaultRetry = args.integer("default-retry-ms", 3000, 0, 600_000);
        double readyTimeout = args.decimal("ready-timeout", 60 + count / 50.0, 0);
        double window = args.decimal("window", 120, 0);
        double grace = args.decimal("grace", 5, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.integer("max-seconds", 1800, 1, 86_400));
        Path readyFile = path(args, "ready-file");
        Path stopFile = path(args, "stop-file");
        Path backFile = path(args, "back-file");
        Path publishedFile = path(args, "published-file");
        Path publishedCount = path(args, "published-count");
        if (stopFile == null || publishedFile == null || publishedCount == null) {
            throw new IllegalArgumentException("--stop-file, --published-file and --published-count are required");
        }

        int port = url.getPort() < 0 ? 80 : url.getPort();
        InetSocketAddress server = new InetSocketAddress(url.getHost(), port);
        byte[] requestStart = requestStart(url, port, args.text("bearer", null));
        List<SourcePorts> binds = new ArrayList<>();
        for (String address : args.list("bind")) {
            binds.add(new SourcePorts(InetAddress.getByName(address)));
        }
        StormClock clock = new StormClock();
        List<StormClient> clients = new ArrayList<>(count);
        List<StormLoop.Metrics> metrics = new ArrayList<>();
        List<List<StormClient>> perLoop = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            metrics.add(new StormLoop.Metrics());
            perLoop.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            int loop = i % threads;
            SourcePorts bind = binds.isEmpty() ? null : binds.get(i % binds.size());
            StormClient client = new StormClient(i, server, bind, requestStart, metrics.get(loop), dialect, clock,
                    defaultRetry);
            clients.add(client);
            perLoop.get(loop).add(client);
        }
        List<StormLoop> loops = new ArrayList<>();
        List<Thread> loopThreads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            StormLoop loop = new StormLoop(perLoop.get(t), metrics.get(t), Math.max(1, maxPending / threads),
                    handshakeTimeout);
            loops.add(loop);
            Thread thread = new Thread(loop, "storm-loop-" + t);
            loopThreads.add(thread);
            thread.start();
        }

        long readyBy = Math.min(deadline, System.nanoTime() + (long) (readyTimeout * 1e9));
        waitUntil(() -> sum(metrics, m -> m.everLive.get()) >= count, readyBy);
        int liveAtReady = sum(metrics, m -> m.everLive.get());
        String readiness = "live=" + liveAtReady + " of " + count;
        System.err.printf("ReconnectStorm ready: %s after %.2f s%n", readiness, (System.nanoTime() - started) / 1e9);
        if (readyFile != null) {
            LoadGenerator.writeAtomically(readyFile, readiness + "\n");
        }

        waitUntil(() -> Files.exists(stopFile), deadline);
        if (!Files.exists(stopFile)) {
            throw new IllegalStateException("no stop file within --max-seconds");
        }
        long stopMicros = Long.parseLong(Files.readString(stopFile).trim());
        clock.stoppedAt(stopMicros);
        int expectedBack = sum(metrics, m -> m.everLive.get());
        long windowEnd = Math.min(deadline, System.nanoTime() + (long) (window * 1e9));
        waitUntil(() -> sum(metrics, m -> m.back.get()) >= expectedBack, windowEnd);
        int backNow = sum(metrics, m -> m.back.get());
        System.err.printf("ReconnectStorm: %d of %d back%n", backNow, expectedBack);
        if (backFile != null) {
            LoadGenerator.writeAtomically(backFile, "back=" + backNow + " of " + expectedBack
                    + (backNow >= expectedBack ? "" : " (window ended)") + "\n");
        }

        waitUntil(() -> Files.exists(publishedCount), deadline);
        Published published = Published.read(publishedFile);
        long owed = 0;
        for (StormClient client : clients) {
            owed += published.owedFrom(client.firstLiveMicros()).cardinality();
        }
        long target = owed;
        long graceEnd = Math.min(deadline, System.nanoTime() + (long) (grace * 1e9));
        waitUntil(() -> sumLong(metrics, m -> m.distinctDeliveries.get()) >= target, graceEnd);

        loops.forEach(StormLoop::stop);
        for (Thread thread : loopThreads) {
            thread.join();
        }
        Map<String, Object> report = report(clients, metrics, published, stopMicros);
        StringBuilder lines = new StringBuilder();
        report.forEach((name, value) -> lines.append(String.format("%-30s %s%n", name, value)));
        System.out.print(lines);
        String json = args.text("json", null);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(json).toFile(), report);
        }
        Path clientsFile = path(args, "clients-file");
        if (clientsFile != null) {
            writeClients(clientsFile, clients, published, stopMicros);
        }
    }

    /** The publisher's log: which seqs were acknowledged, and when each was sent. */
    static final class Published {
        final long[] sentAtMicros;
        final BitSet acknowledged;
        final int failed;

        private Published(long[] sentAtMicros, BitSet acknowledged, int failed) {
            this.sentAtMicros = sentAtMicros;
            this.acknowledged = acknowledged;
            this.failed = failed;
        }

        static Published read(Path log) throws IOException {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            long[] sentAt = new long[lines.size()];
            BitSet acknowledged = new BitSet(lines.size());
            int failed = 0;
            int next = 0;
            for (String line : lines) {
                String[] fields = line.split("\t");
                int seq = Integer.parseInt(fields[0]);
                if (seq != next++) {
                    throw new IllegalStateException("publisher log out of sequence at " + line);
                }
                sentAt[seq] = Long.parseLong(fields[1]);
                if ("1".equals(fields[2])) {
                    acknowledged.set(seq);
                } else {
                    failed++;
                }
            }
            return new Published(sentAt, acknowledged, failed);
        }

        int count() {
            return sentAtMicros.length;
        }

        /** The first seq sent at or after {@code micros} (the log is in send order, so times only grow). */
        int firstSentFrom(long micros) {
            int index = Arrays.binarySearch(sentAtMicros, micros);
            if (index < 0) {
                return -index - 1;
            }
            while (index > 0 && sentAtMicros[index - 1] == micros) {
                index--;
            }
            return index;
        }

        /** The acknowledged seqs sent at or after {@code micros}; none for a client that never went live. */
        BitSet owedFrom(long micros) {
            BitSet owed = new BitSet();
            if (micros > 0) {
                owed.or(acknowledged);
                owed.clear(0, firstSentFrom(micros));
            }
            return owed;
        }
    }

    /** What one client's connections say about the stop: when it dropped and came back, if it did. */
    record Outcome(boolean liveAtStop, long droppedMicros, long backMicros, boolean droppedAgain, long retryMillis) {
        static Outcome of(StormClient client, long stopMicros) {
            long[] spans = client.spans();
            long[] retries = client.retriesAfterEnd();
            int atStop = -1;
            for (int i = 0; i < spans.length; i += 2) {
                boolean began = spans[i] <= stopMicros;
                boolean open = spans[i + 1] == 0 || spans[i + 1] >= stopMicros;
                if (began && open) {
                    atStop = i;
                }
            }
            if (atStop < 0) {
                return new Outcome(false, 0, 0, false, -1);
            }
            long dropped = spans[atStop + 1];
            if (dropped == 0) {
                return new Outcome(true, 0, 0, false, -1);
            }
            // The retry applied after this end: ends are recorded in order, one per closed span.
            long retry = retries.length > atStop / 2 ? retries[atStop / 2] : -1;
            boolean hasNext = atStop + 2 < spans.length;
            long back = hasNext ? spans[atStop + 2] : 0;
            boolean droppedAgain = false;
            for (int i = atStop + 2; i < spans.length; i += 2) {
                droppedAgain |= spans[i + 1] != 0;
            }
            return new Outcome(true, dropped, back, droppedAgain, retry);
        }
    }

    private static Map<String, Object> report(List<StormClient> clients, List<StormLoop.Metrics> metrics,
            Published published, long stopMicros) {
        int liveAtStop = 0;
        int neverDropped = 0;
        int droppedAgain = 0;
        List<Long> backDelays = new ArrayList<>();
        List<Long> dropDelays = new ArrayList<>();
        long retryMin = Long.MAX_VALUE;
        long retryMax = -1;
        long owed = 0;
        long lost = 0;
        long lostBeforeStop = 0;
        long owedNotBack = 0;
        long lostNotBack = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long unconfirmed = 0;
        long resyncs = 0;
        int withLoss = 0;
        int withDuplicates = 0;
        int resumedWithoutId = 0;
        int firstAfterStop = published.firstSentFrom(stopMicros);
        for (StormClient client : clients) {
            Outcome outcome = Outcome.of(client, stopMicros);
            BitSet owedSeqs = published.owedFrom(client.firstLiveMicros());
            SeqTracker seqs = client.seqs();
            int missing = seqs.missingAmong(owedSeqs);
            unconfirmed += seqs.receivedOutside(published.acknowledged);
            duplicates += seqs.duplicates();
            outOfOrder += seqs.outOfOrder();
            resyncs += client.resyncs();
            resumedWithoutId += client.resumesWithoutId() > 0 ? 1 : 0;
            if (seqs.duplicates() > 0) {
                withDuplicates++;
            }
            if (!outcome.liveAtStop()) {
                continue;
            }
            liveAtStop++;
            if (outcome.droppedMicros() == 0) {
                neverDropped++;
            } else {
                dropDelays.add(outcome.droppedMicros() - stopMicros);
                retryMin = Math.min(retryMin, outcome.retryMillis());
                retryMax = Math.max(retryMax, outcome.retryMillis());
            }
            if (outcome.droppedMicros() != 0 && outcome.backMicros() == 0) {
                owedNotBack += owedSeqs.cardinality();
                lostNotBack += missing;
                continue;
            }
            if (outcome.backMicros() != 0) {
                backDelays.add(outcome.backMicros() - stopMicros);
            }
            droppedAgain += outcome.droppedAgain() ? 1 : 0;
            owed += owedSeqs.cardinality();
            lost += missing;
            if (missing > 0) {
                withLoss++;
                BitSet beforeStop = (BitSet) owedSeqs.clone();
                beforeStop.clear(firstAfterStop, Math.max(firstAfterStop, published.count()));
                lostBeforeStop += seqs.missingAmong(beforeStop);
            }
        }
        backDelays.sort(null);
        dropDelays.sort(null);
        int dropped = liveAtStop - neverDropped;
        int back = backDelays.size();

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clients", clients.size());
        r.put("clients_live_at_stop", liveAtStop);
        r.put("clients_dropped", dropped);
        r.put("clients_never_dropped", neverDropped);
        r.put("clients_back", back);
        r.put("clients_not_back", dropped - back);
        r.put("clients_dropped_again", droppedAgain);
        r.put("back_s_first", back == 0 ? "never" : seconds(backDelays.get(0)));
        r.put("back_s_p50", backAt(backDelays, dropped, 0.50));
        r.put("back_s_p99", backAt(backDelays, dropped, 0.99));
        r.put("back_s_all", backAt(backDelays, dropped, 1.0));
        r.put("dropped_s_p50", dropDelays.isEmpty() ? "-" : seconds(dropDelays.get(dropDelays.size() / 2)));
        r.put("dropped_s_max", dropDelays.isEmpty() ? "-" : seconds(dropDelays.get(dropDelays.size() - 1)));
        r.put("retry_ms_min", retryMax < 0 ? "-" : retryMin);
        r.put("retry_ms_max", retryMax < 0 ? "-" : retryMax);
        r.put("attempts_after_stop", sumLong(metrics, m -> m.attemptsAfterStop));
        r.put("attempt_failures_after_stop", merged(metrics, m -> m.failuresAfterStop));
        r.put("attempt_failures_before_stop", merged(metrics, m -> m.failuresBeforeStop));
        r.put("stream_end_reasons", merged(metrics, m -> m.endReasons));
        r.put("events_published", published.acknowledged.cardinality());
        r.put("events_publish_failed", published.failed);
        r.put("deliveries_owed", owed);
        r.put("deliveries_lost", lost);
        r.put("deliveries_lost_before_stop", lostBeforeStop);
        r.put("clients_with_loss", withLoss);
        r.put("duplicates", duplicates);
        r.put("clients_with_duplicates", withDuplicates);
        r.put("out_of_order", outOfOrder);
        r.put("resyncs", resyncs);
        r.put("clients_resumed_without_id", resumedWithoutId);
        r.put("received_unacknowledged", unconfirmed);
        r.put("not_back_deliveries_owed", owedNotBack);
        r.put("not_back_deliveries_lost", lostNotBack);
        r.put("foreign_events", sumLong(metrics, m -> m.foreignEvents));
        r.put("bytes_received_mb", String.format("%.1f", sumLong(metrics, m -> m.bytesRead) / 1e6));
        return r;
    }

    /**
     * Seconds from the stop until the ⌈share·n⌉-th of n dropped clients was back, or "never"; n counts the
     * clients that never came back too, so they hold the figure back.
     */
    private static String backAt(List<Long> sortedDelays, int dropped, double share) {
        if (dropped == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(share * dropped);
        return rank <= sortedDelays.size() ? seconds(sortedDelays.get(Math.max(1, rank) - 1)) : "never";
    }

    private static String seconds(long micros) {
        return String.format("%.3f", micros / 1e6);
    }

    private static void writeClients(Path file, List<StormClient> clients, Published published, long stopMicros)
            throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("client\tfirst_live_us\tdropped_s\tback_s\tretry_ms\tattempts\tattempts_after_stop\towed\tlost"
                    + "\tfirst_lost_seq\tduplicates\tresyncs\n");
            for (StormClient client : clients) {
                Outcome outcome = Outcome.of(client, stopMicros);
                BitSet owed = published.owedFrom(client.firstLiveMicros());
                SeqTracker seqs = client.seqs();
                out.write(client.index + "\t" + client.firstLiveMicros()
                        + "\t" + (outcome.droppedMicros() == 0 ? "-" : seconds(outcome.droppedMicros() - stopMicros))
                        + "\t" + (outcome.backMicros() == 0 ? "-" : seconds(outcome.backMicros() - stopMicros))
                        + "\t" + outcome.retryMillis() + "\t" + client.attempts() + "\t" + client.attemptsAfterStop()
                        + "\t" + owed.cardinality() + "\t" + seqs.missingAmong(owed) + "\t" + seqs.firstMissingAmong(owed)
                        + "\t" + seqs.duplicates() + "\t" + client.resyncs() + "\n");
            }
        }
    }

    private static Map<String, Integer> merged(List<StormLoop.Metrics> metrics,
            Function<StormLoop.Metrics, Map<String, Integer>> counts) {
        Map<String, Integer> all = new TreeMap<>();
        for (StormLoop.Metrics m : metrics) {
            counts.apply(m).forEach((reason, n) -> all.merge(reason, n, Integer::sum));
        }
        return all;
    }

    private static byte[] requestStart(URI url, int port, String bearer) {
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
        if (bearer != null && !bearer.isEmpty()) {
            request.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Path path(Args args, String name) {
        String value = args.text(name, null);
        return value == null ? null : Path.of(value);
    }

    private static int sum(List<StormLoop.Metrics> metrics, Function<StormLoop.Metrics, Integer> figure) {
        return metrics.stream().mapToInt(figure::apply).sum();
    }

    private static long sumLong(List<StormLoop.Metrics> metrics, Function<StormLoop.Metrics, Long> figure) {
        return metrics.stream().mapToLong(figure::apply).sum();
    }

    /** Polls every 20 ms until the condition holds or the deadline passes; both outcomes just return. */
    private static void waitUntil(Condition condition, long deadlineNanos) throws Exception {
        while (!condition.holds() && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }
}
