package io.hermes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Puts one polling-vs-SSE run side by side: requests and bytes of each client (from NAME.json), the data
 * age of each (simulator log against NAME.sightings.tsv), and each SSE client's ratios to the polling
 * one against the targets of issue 7. The first client named is the baseline.
 *
 * <p>Updates written in the last {@code --tail} seconds of a client's run are left out of its ages: a
 * client that stops cannot see them, and a poll due after the end would otherwise count as never.
 */
public final class PollingVsSseReport {
    private static final Set<String> OPTIONS = Set.of("dir", "clients", "tail", "json");
    static final double REQUEST_TARGET = 0.99;
    static final double BYTES_TARGET = 0.95;

    private PollingVsSseReport() {
    }

    /** What the report needs of one client. */
    record Client(String name, JsonNode summary, DataAge.Result progressAge, DataAge.Result statusAge) {
        long requests() {
            return summary.path("traffic").path("total").path("requests").asLong();
        }

        long requestBytes() {
            return summary.path("traffic").path("total").path("request_bytes").asLong();
        }

        long responseBytes() {
            return summary.path("traffic").path("total").path("response_bytes").asLong();
        }

        long bytes() {
            return requestBytes() + responseBytes();
        }

        long steadyRequests() {
            return summary.path("traffic").path("steady").path("total").path("requests").asLong();
        }

        long steadyBytes() {
            JsonNode steady = summary.path("traffic").path("steady").path("total");
            return steady.path("request_bytes").asLong() + steady.path("response_bytes").asLong();
        }
    }

    public static void main(String[] argv) throws IOException {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("PollingVsSseReport: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Path.of(args.text("dir", "."));
        List<String> names = args.list("clients");
        if (names.isEmpty()) {
            names = List.of("polling", "sse", "sse-stream-only");
        }
        long tailMicros = (long) (args.decimal("tail", 5, 0) * 1e6);
        List<DataAge.Update> updates = DataAge.readUpdates(dir.resolve("updates.tsv"));
        ObjectMapper mapper = new ObjectMapper();
        List<Client> clients = new ArrayList<>();
        for (String name : names) {
            JsonNode summary = mapper.readTree(dir.resolve(name + ".json").toFile());
            List<Sightings.Sighting> sightings = Sightings.read(dir.resolve(name + ".sightings.tsv"));
            long from = summary.path("started_us").asLong();
            long to = summary.path("ended_us").asLong() - tailMicros;
            clients.add(new Client(name, summary,
                    DataAge.analyse(updates, sightings, from, to, DataAge.Update::isProgress),
                    DataAge.analyse(updates, sightings, from, to, update -> !update.isProgress())));
        }
        Map<String, Object> json = print(clients);
        String out = args.text("json", null);
        if (out != null) {
            mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(out).toFile(), json);
        }
    }

    static Map<String, Object> print(List<Client> clients) {
        Client base = clients.get(0);
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-34s", ""));
        clients.forEach(client -> header.append(String.format(Locale.ROOT, "%20s", client.name())));
        System.out.println(header);
        row(clients, "run seconds", client -> fmt(client.summary().path("seconds").asDouble(), 1));
        row(clients, "requests", client -> Long.toString(client.requests()));
        row(clients, "  of which 304", client -> Long.toString(client.summary().path("traffic").path("total")
                .path("status_304").asLong()));
        row(clients, "request bytes", client -> Long.toString(client.requestBytes()));
        row(clients, "response bytes (head+body)", client -> Long.toString(client.responseBytes()));
        row(clients, "bytes both ways", client -> Long.toString(client.bytes()));
        row(clients, "connections opened", client -> client.summary().path("connections_opened").asText());
        row(clients, "errors", client -> client.summary().path("errors").asText());
        row(clients, "fewer requests than " + base.name(), client -> percent(saving(client.requests(), base.requests())));
        row(clients, "fewer bytes than " + base.name(), client -> percent(saving(client.bytes(), base.bytes())));
        row(clients, "steady state from (s)", client -> fmt(client.summary().path("seconds").asDouble()
                - client.summary().path("steady_seconds").asDouble(), 0));
        row(clients, "  steady requests", client -> Long.toString(client.steadyRequests()));
        row(clients, "  steady bytes both ways", client -> Long.toString(client.steadyBytes()));
        row(clients, "  steady: fewer requests", client -> percent(saving(client.steadyRequests(), base.steadyRequests())));
        row(clients, "  steady: fewer bytes", client -> percent(saving(client.steadyBytes(), base.steadyBytes())));
        row(clients, "progress steps in window", client -> Long.toString(client.progressAge().considered()));
        row(clients, "  shown exactly", client -> Long.toString(client.progressAge().seenExactly()));
        row(clients, "  never caught up with", client -> Long.toString(client.progressAge().unseen()));
        for (double p : new double[] {50, 90, 99}) {
            row(clients, "progress age p" + (int) p + " ms", client -> fmt(client.progressAge().percentileMillis(p), 1));
        }
        row(clients, "progress age max ms", client -> fmt(client.progressAge().maxMillis(), 1));
        row(clients, "status changes in window", client -> Long.toString(client.statusAge().considered()));
        row(clients, "status change age p50 ms", client -> fmt(client.statusAge().percentileMillis(50), 1));
        row(clients, "status change age p99 ms", client -> fmt(client.statusAge().percentileMillis(99), 1));
        System.out.println();
        for (Client client : clients) {
            System.out.println(client.name() + " by request:");
            JsonNode byRequest = client.summary().path("traffic").path("by_request");
            for (Iterator<Map.Entry<String, JsonNode>> it = byRequest.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> line = it.next();
                JsonNode v = line.getValue();
                System.out.printf(Locale.ROOT, "  %-18s %6d requests (%d × 304) %10d B sent %12d B received%n", line.getKey(),
                        v.path("requests").asLong(), v.path("status_304").asLong(), v.path("request_bytes").asLong(),
                        v.path("response_bytes").asLong());
            }
        }
        System.out.println();
        for (Client client : clients.subList(1, clients.size())) {
            double requests = saving(client.requests(), base.requests());
            double bytes = saving(client.bytes(), base.bytes());
            double p99 = client.progressAge().percentileMillis(99);
            double baseP99 = base.progressAge().percentileMillis(99);
            System.out.printf(Locale.ROOT, "%s vs %s: requests %s fewer (target ≥ 99 %%: %s, ratio %.4f); bytes %s fewer"
                    + " (target ≥ 95 %%: %s, ratio %.4f); progress age p99 %.1f ms vs %.1f ms (%s, %.1f× fresher)%n",
                    client.name(), base.name(), percent(requests), requests >= REQUEST_TARGET ? "met" : "missed",
                    (double) client.requests() / base.requests(), percent(bytes), bytes >= BYTES_TARGET ? "met" : "missed",
                    (double) client.bytes() / base.bytes(), p99, baseP99, p99 < baseP99 ? "met" : "missed", baseP99 / p99);
            double steadyRequests = saving(client.steadyRequests(), base.steadyRequests());
            double steadyBytes = saving(client.steadyBytes(), base.steadyBytes());
            System.out.printf(Locale.ROOT, "%s vs %s, steady state (after the start-up loads): requests %s fewer (%s, ratio"
                    + " %.4f); bytes %s fewer (%s, ratio %.4f)%n", client.name(), base.name(), percent(steadyRequests),
                    steadyRequests >= REQUEST_TARGET ? "met" : "missed", (double) client.steadyRequests() / base.steadyRequests(),
                    percent(steadyBytes), steadyBytes >= BYTES_TARGET ? "met" : "missed",
                    (double) client.steadyBytes() / base.steadyBytes());
        }
        for (Client client : clients) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("requests", client.requests());
            entry.put("request_bytes", client.requestBytes());
            entry.put("response_bytes", client.responseBytes());
            entry.put("fewer_requests_than_baseline", saving(client.requests(), base.requests()));
            entry.put("fewer_bytes_than_baseline", saving(client.bytes(), base.bytes()));
            entry.put("steady_requests", client.steadyRequests());
            entry.put("steady_bytes", client.steadyBytes());
            entry.put("steady_fewer_requests_than_baseline", saving(client.steadyRequests(), base.steadyRequests()));
            entry.put("steady_fewer_bytes_than_baseline", saving(client.steadyBytes(), base.steadyBytes()));
            entry.put("progress_age", ageMap(client.progressAge()));
            entry.put("status_change_age", ageMap(client.statusAge()));
            json.put(client.name(), entry);
        }
        return json;
    }

    /** The share saved against the baseline: 0.99 means 99 % fewer. */
    static double saving(long value, long baseline) {
        return baseline == 0 ? Double.NaN : 1.0 - (double) value / baseline;
    }

    private static Map<String, Object> ageMap(DataAge.Result result) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("considered", result.considered());
        map.put("seen_exactly", result.seenExactly());
        map.put("unseen", result.unseen());
        map.put("p50_ms", result.percentileMillis(50));
        map.put("p90_ms", result.percentileMillis(90));
        map.put("p99_ms", result.percentileMillis(99));
        map.put("max_ms", result.maxMillis());
        map.put("mean_ms", result.meanMillis());
        return map;
    }

    private static void row(List<Client> clients, String label, java.util.function.Function<Client, String> value) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", label));
        clients.forEach(client -> line.append(String.format(Locale.ROOT, "%20s", value.apply(client))));
        System.out.println(line);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.2f %%", share * 100);
    }

    private static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
