package io.hermes.bench;

import io.hermes.realtime.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Publishes events at a fixed rate, each stamped with its send time: to Hermes Realtime through the server's
 * own {@code EventPublisher} (the Lua script that appends to the replay stream and PUBLISHes), or, with
 * {@code --nchan URL}, to Nchan's publisher endpoint by HTTP POST.
 *
 * <p>Publishing is synchronous on one thread: each event waits for Redis's reply. That is what a worker
 * does, and it caps the rate at about 1 / round-trip; the report's schedule lag shows when that cap (or
 * a starved CPU) made events late, since a late event's latency is measured from when it was actually
 * sent.
 *
 * <p>For the reconnect storm: {@code --stop-file F} ends the run early once F exists (checked before each
 * event), and {@code --log F} writes one line per event, {@code seq sent_at_us ok}, where {@code ok} is 1 when
 * the publish was acknowledged (Redis answered the script; Nchan answered 2xx) and 0 when it failed, so that
 * the clients' loss is counted against what was really published.
 */
public final class Publisher {
    private static final Set<String> OPTIONS = Set.of("redis", "rate", "seconds", "size", "replay-size", "count-file",
            "nchan", "stop-file", "log");

    private Publisher() {
    }

    public static void main(String[] argv) throws Exception {
        try {
            run(new Args(argv, OPTIONS));
        } catch (IllegalArgumentException badOption) {
            System.err.println("Publisher: " + badOption.getMessage());
            System.exit(2);
        }
    }

    private static void run(Args args) throws Exception {
        URI redisUrl = URI.create(args.text("redis", "redis://127.0.0.1:6379"));
        double rate = args.decimal("rate", 10, 0.001);
        double seconds = args.decimal("seconds", 20, 0);
        int size = args.integer("size", 200, 0, 1_000_000);
        // Match the server's HERMES_SSE_REPLAY_SIZE, or this run trims the replay stream differently.
        int replaySize = args.integer("replay-size", 10_000, 1, 10_000_000);
        String countFile = args.text("count-file", null);
        Path stopFile = args.text("stop-file", null) == null ? null : Path.of(args.text("stop-file", null));
        String log = args.text("log", null);
        long total = Math.round(rate * seconds);
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rate × seconds is more events than a seq can number");
        }

        Json json = new Json();
        Histogram lagMicros = new Histogram(3);
        Histogram callMicros = new Histogram(3);
        long failures = 0;
        String padding = "x".repeat(paddingLength(json, size, total));
        String nchan = args.text("nchan", null);
        long sent = 0;
        try (EventSink sink = nchan == null
                ? new HermesSink(redisUrl, json, replaySize) : new NchanSink(URI.create(nchan), json);
                BufferedWriter sends = log == null ? null : Files.newBufferedWriter(Path.of(log))) {
            for (int i = 0; i < 20_000; i++) {
                json.write(data(i, padding));
            }
            sink.warmUp();
            long start = System.nanoTime();
            long firstSend = 0;
            long lastSend = 0;
            FixedSchedule schedule = new FixedSchedule(start, rate);
            for (int seq = 0; seq < total; seq++) {
                if (stopFile != null && Files.exists(stopFile)) {
                    break;
                }
                long due = schedule.dueNanos(seq);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                long before = System.nanoTime();
                firstSend = seq == 0 ? before : firstSend;
                lastSend = before;
                lagMicros.recordValue((before - due) / 1_000);
                Map<String, Object> data = data(seq, padding);
                boolean ok = true;
                try {
                    sink.publish(data);
                } catch (RuntimeException | IOException sendFailed) {
                    ok = false;
                    failures++;
                    if (failures <= 5) {
                        System.err.println("Publisher: event " + seq + " failed: " + sendFailed);
                    }
                }
                callMicros.recordValue((System.nanoTime() - before) / 1_000);
                sent++;
                if (sends != null) {
                    sends.write(seq + "\t" + data.get("sent_at_us") + "\t" + (ok ? 1 : 0) + "\n");
                    sends.flush(); // a script watching the log sees each event as it goes
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            // n events on schedule span n-1 periods, so that is the rate's denominator.
            double achieved = sent > 1 ? (sent - 1) / ((lastSend - firstSend) / 1e9) : 0.0;
            System.out.printf("publisher_events           %d%n", sent);
            System.out.printf("publisher_failures         %d%n", failures);
            System.out.printf("publisher_target_rate      %.3f%n", rate);
            System.out.printf("publisher_achieved_rate    %.3f%n", achieved);
            System.out.printf("publisher_elapsed_s        %.3f%n", elapsed);
            System.out.printf("publisher_event_bytes      %d%n", json.write(data(0, padding)).length());
            System.out.printf("publisher_lag_ms_p50       %.3f%n", lagMicros.getValueAtPercentile(50) / 1000.0);
            System.out.printf("publisher_lag_ms_p99       %.3f%n", lagMicros.getValueAtPercentile(99) / 1000.0);
            System.out.printf("publisher_lag_ms_max       %.3f%n", lagMicros.getMaxValue() / 1000.0);
            System.out.printf("publisher_call_ms_p50      %.3f%n", callMicros.getValueAtPercentile(50) / 1000.0);
            System.out.printf("publisher_call_ms_p99      %.3f%n", callMicros.getValueAtPercentile(99) / 1000.0);
        }
        if (countFile != null) {
            LoadGenerator.writeAtomically(Path.of(countFile), sent + "\n");
        }
    }

    /** The event's data; field order is kept so {@code seq} and the timestamp come before the padding. */
    static Map<String, Object> data(int seq, String padding) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", "status_changed");
        data.put("download_id", "bench");
        data.put("status", "queued");
        data.put("seq", seq);
        data.put("sent_at_us", EpochMicros.now());
        data.put("padding", padding);
        return data;
    }

    /** Padding that brings the data JSON to about {@code size} bytes, measured with the widest seq of the run. */
    private static int paddingLength(Json json, int size, long total) {
        int unpadded = json.write(data((int) Math.max(0, total - 1), "")).length();
        return Math.max(0, size - unpadded);
    }
}
