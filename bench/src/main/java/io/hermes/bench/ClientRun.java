package io.hermes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated dashboards share: the server's address, the wire client and its tally, the
 * sightings, the run's start and end, and the summary files they leave behind
 * ({@code NAME.json} and {@code NAME.sightings.tsv} in the output directory).
 */
final class ClientRun {
    final String name;
    final TrafficTally tally = new TrafficTally();
    final Sightings sightings = new Sightings();
    final WireClient client;
    final DashboardApi api;
    final AtomicLong errors = new AtomicLong();
    final Map<String, Object> extra = new LinkedHashMap<>();
    private final Path outDir;
    private long startedMicros;
    private long endedMicros;

    ClientRun(String name, URI server, String key, Path outDir) {
        if (!"http".equals(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host:port (TLS is not supported)");
        }
        this.name = name;
        this.outDir = outDir;
        this.client = new WireClient(server.getHost(), server.getPort() < 0 ? 80 : server.getPort());
        this.api = new DashboardApi(client, key, tally);
    }

    /** Seconds after the start from which the steady state is counted (see {@link TrafficTally}). */
    static final long STEADY_AFTER_SECONDS = 15;

    void started() {
        startedMicros = EpochMicros.now();
        tally.steadyFrom(startedMicros + STEADY_AFTER_SECONDS * 1_000_000);
    }

    void ended() {
        endedMicros = EpochMicros.now();
    }

    void error(String what, Exception failure) {
        long count = errors.incrementAndGet();
        if (count <= 10) {
            System.err.println(name + ": " + what + " failed: " + failure);
        }
    }

    /** Writes NAME.json and NAME.sightings.tsv, and prints the totals. */
    void write() throws IOException {
        Files.createDirectories(outDir);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("client", name);
        summary.put("started_us", startedMicros);
        summary.put("ended_us", endedMicros);
        summary.put("seconds", (endedMicros - startedMicros) / 1e6);
        summary.put("steady_seconds", Math.max(0, endedMicros - startedMicros - STEADY_AFTER_SECONDS * 1_000_000) / 1e6);
        summary.put("connections_opened", client.connectionsOpened());
        summary.put("stale_connection_retries", client.staleRetries());
        summary.put("errors", errors.get());
        summary.putAll(extra);
        summary.put("traffic", tally.toMap());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(outDir.resolve(name + ".json").toFile(), summary);
        sightings.writeTo(outDir.resolve(name + ".sightings.tsv"));
        TrafficTally.Line total = tally.total();
        System.out.printf("%s: %d requests, %d bytes sent, %d bytes received, %d connections, %d errors%n", name,
                total.requests, total.requestBytes, total.responseBytes, client.connectionsOpened(), errors.get());
    }
}
