package io.hermes.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How old the data on a client's screen was: for every state change the simulator made (its log), the
 * time from the write that made it visible to the moment the client first showed that state or a newer
 * one of the same download.
 *
 * <p>"Or a newer one" matters for polling: a queue poll every 2 s skips most of the 0.5 s progress steps,
 * and a skipped step is out of date as soon as the next poll shows a later one, so that poll is when the
 * client caught up with it. {@code seenExactly} counts the steps a client actually displayed.
 *
 * <p>A state is matched by download id and status, plus the downloaded bytes while downloading (they grow
 * with every step, so they identify it); a REST answer does not carry the event's own fields, so the
 * state itself is the key that joins a sighting to the log line with its timestamp.
 */
final class DataAge {
    /** One line of the simulator's log. */
    record Update(long atMicros, String id, int seq, String kind, String status, long bytes) {
        static Update parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new IllegalArgumentException("not an update line: " + line);
            }
            return new Update(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]), f[3], f[4], Long.parseLong(f[5]));
        }

        boolean isProgress() {
            return "progress".equals(kind);
        }
    }

    /** Ages of the updates considered, sorted, and how many were seen at all / exactly. */
    record Result(long considered, long seenExactly, long unseen, long[] agesMicros) {
        long seen() {
            return agesMicros.length;
        }

        /** Nearest-rank percentile in milliseconds; NaN when nothing was seen. */
        double percentileMillis(double percentile) {
            if (agesMicros.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(percentile / 100.0 * agesMicros.length);
            return agesMicros[Math.max(0, Math.min(agesMicros.length - 1, rank - 1))] / 1000.0;
        }

        double meanMillis() {
            return agesMicros.length == 0 ? Double.NaN : Arrays.stream(agesMicros).average().orElse(0) / 1000.0;
        }

        double maxMillis() {
            return agesMicros.length == 0 ? Double.NaN : agesMicros[agesMicros.length - 1] / 1000.0;
        }
    }

    private DataAge() {
    }

    static List<Update> readUpdates(Path file) throws IOException {
        List<Update> updates = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                updates.add(Update.parse(line));
            }
        }
        return updates;
    }

    /**
     * Ages of the updates written within [{@code fromMicros}, {@code toMicros}] that {@code which} accepts,
     * against the client's {@code sightings}.
     */
    static Result analyse(List<Update> updates, List<Sightings.Sighting> sightings, long fromMicros, long toMicros,
            Predicate<Update> which) {
        Map<String, List<Update>> updatesById = new HashMap<>();
        Map<String, Integer> seqOfState = new HashMap<>();
        for (Update update : updates) {
            updatesById.computeIfAbsent(update.id(), id -> new ArrayList<>()).add(update);
            seqOfState.putIfAbsent(stateKey(update.id(), update.status(), update.bytes()), update.seq());
        }
        Map<String, List<long[]>> seenById = new HashMap<>(); // {atMicros, seq}
        for (Sightings.Sighting sighting : sightings) {
            Integer seq = seqOfState.get(stateKey(sighting.id(), sighting.status(), sighting.bytes()));
            if (seq != null) {
                seenById.computeIfAbsent(sighting.id(), id -> new ArrayList<>()).add(new long[] {sighting.atMicros(), seq});
            }
        }
        long considered = 0;
        long exactly = 0;
        long unseen = 0;
        List<Long> ages = new ArrayList<>();
        for (Map.Entry<String, List<Update>> entry : updatesById.entrySet()) {
            List<Update> mine = new ArrayList<>(entry.getValue());
            mine.sort(Comparator.comparingInt(Update::seq));
            List<long[]> seen = new ArrayList<>(seenById.getOrDefault(entry.getKey(), List.of()));
            seen.sort(Comparator.comparingLong(sighting -> sighting[0]));
            java.util.Set<Long> seenSeqs = new java.util.HashSet<>();
            seen.forEach(sighting -> seenSeqs.add(sighting[1]));
            int pointer = 0;
            long highest = -1;
            for (Update update : mine) {
                // The first sighting (in time) at which the client showed this state or a later one.
                while (pointer < seen.size() && highest < update.seq()) {
                    highest = Math.max(highest, seen.get(pointer)[1]);
                    pointer++;
                }
                if (update.atMicros() < fromMicros || update.atMicros() > toMicros || !which.test(update)) {
                    continue;
                }
                considered++;
                if (highest >= update.seq()) {
                    ages.add(seen.get(pointer - 1)[0] - update.atMicros());
                    if (seenSeqs.contains((long) update.seq())) {
                        exactly++;
                    }
                } else {
                    unseen++;
                }
            }
        }
        long[] sorted = ages.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(considered, exactly, unseen, sorted);
    }

    /** Downloading states differ by bytes; every other status occurs once per download. */
    static String stateKey(String id, String status, long bytes) {
        return "downloading".equals(status) ? id + '\t' + status + '\t' + bytes : id + '\t' + status;
    }
}
