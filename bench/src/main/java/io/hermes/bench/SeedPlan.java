package io.hermes.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What {@link SeedDownloads} stores: a reproducible list of downloads (same seed and moment, same list) with
 * statuses, times and sizes that look like a download manager's last month. Pure: no Redis here.
 *
 * <ul>
 *   <li>Terminal downloads finished within the last {@code days} days, at a daily rhythm (more in the
 *       evening than at night); queued and running ones were added within the last two hours.</li>
 *   <li>Sizes are spread evenly on a log scale from 2 MB to 4 GB, speeds from 0.5 to 50 MB/s, so a
 *       transfer takes from seconds to two hours; a download waits 0–60 s in the queue first.</li>
 *   <li>Failures carry the built-in worker's error types; a cancelled download was cancelled while
 *       queued (30 %) or while downloading.</li>
 * </ul>
 */
final class SeedPlan {
    /** Share of each status, in {@link Status} order: queued, downloading, completed, failed, cancelled. */
    enum Profile {
        /** A live install: mostly finished downloads, some waiting and running. */
        MIXED(new double[] {0.03, 0.01, 0.80, 0.10, 0.06}),
        /** Finished downloads only, for runs that bring their own active ones (polling vs SSE). */
        HISTORY(new double[] {0, 0, 0.84, 0.10, 0.06});

        final double[] shares;

        Profile(double[] shares) {
            this.shares = shares;
        }
    }

    enum Status { QUEUED, DOWNLOADING, COMPLETED, FAILED, CANCELLED }

    /** One planned download; times are null where the status never got there. */
    record Planned(Status status, String owner, String url, String fileName, long size, Instant created, Instant started,
            Instant finished, long downloadedBytes, String errorType, String errorMessage) {
        boolean claimed() {
            return started != null;
        }

        Duration transfer() {
            return started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
        }
    }

    /** Downloads per hour of the day (UTC), relative: quiet at night, busiest in the evening. */
    private static final int[] HOUR_WEIGHTS = {2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 7, 8, 9, 10, 10, 8, 5, 3};
    private static final String[][] EXTRACTORS = {
        {"youtube.com", "40"}, {"vimeo.com", "15"}, {"soundcloud.com", "10"}, {"archive.org", "10"},
        {"cdn.example.net", "10"}, {"twitch.tv", "8"}, {"dailymotion.com", "7"},
    };
    private static final String[][] ERRORS = {
        {"http_error", "40", "HTTP 404 Not Found"},
        {"timeout", "25", "No data received for 60 seconds"},
        {"io_error", "20", "The connection was reset"},
        {"dns_failure", "10", "Could not resolve host"},
        {"too_large", "5", "The file is larger than the 10 GiB limit"},
    };
    private static final String[] OWNERS = {"admin", "alice", "bob"};

    private SeedPlan() {
    }

    static List<Planned> plan(int count, int days, Profile profile, Instant now, long seed) {
        Random random = new Random(seed);
        List<Planned> plans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            plans.add(one(i, days, pick(random, profile.shares), now, random));
        }
        return plans;
    }

    private static Planned one(int n, int days, int statusIndex, Instant now, Random random) {
        Status status = Status.values()[statusIndex];
        String host = EXTRACTORS[weighted(random, EXTRACTORS, 1)][0];
        String fileName = String.format(Locale.ROOT, "seed-%05d.%s", n, random.nextInt(4) == 0 ? "mp3" : "mp4");
        String url = "https://" + host + "/watch/" + fileName;
        String owner = OWNERS[random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(OWNERS.length - 1)];
        long size = (long) Math.exp(Math.log(2e6) + random.nextDouble() * (Math.log(4e9) - Math.log(2e6)));
        double speed = Math.exp(Math.log(0.5e6) + random.nextDouble() * (Math.log(50e6) - Math.log(0.5e6)));
        Duration transfer = Duration.ofMillis(Math.max(2000, Math.min(7_200_000, (long) (size / speed * 1000))));
        Duration wait = Duration.ofMillis(random.nextInt(60_000));
        if (status == Status.QUEUED || status == Status.DOWNLOADING) {
            Instant created = now.minusMillis(60_000 + random.nextInt(7_140_000)); // within the last 2 h
            if (status == Status.QUEUED) {
                return new Planned(status, owner, url, fileName, size, created, null, null, 0, null, null);
            }
            Instant started = created.plus(wait);
            long downloaded = (long) (size * (0.02 + 0.9 * random.nextDouble()));
            return new Planned(status, owner, url, fileName, size, created, started, null, downloaded, null, null);
        }
        Instant finishedAt = finishTime(days, now, random);
        if (status == Status.CANCELLED && random.nextInt(10) < 3) {
            Instant created = finishedAt.minus(wait);
            return new Planned(status, owner, url, fileName, size, created, null, finishedAt, 0, null, null);
        }
        double part = status == Status.COMPLETED ? 1.0 : 0.05 + 0.9 * random.nextDouble();
        Duration ran = Duration.ofMillis(Math.max(1000, (long) (transfer.toMillis() * part)));
        Instant started = finishedAt.minus(ran);
        Instant created = started.minus(wait);
        long downloaded = (long) (size * part);
        if (status == Status.FAILED) {
            String[] error = ERRORS[weighted(random, ERRORS, 1)];
            return new Planned(status, owner, url, fileName, size, created, started, finishedAt, downloaded, error[0],
                    error[2]);
        }
        return new Planned(status, owner, url, fileName, size, created, started, finishedAt, downloaded, null, null);
    }

    /** A moment within the last {@code days} days (not in the last 5 minutes), at the daily rhythm. */
    private static Instant finishTime(int days, Instant now, Random random) {
        while (true) {
            Instant day = now.truncatedTo(ChronoUnit.DAYS).minus(random.nextInt(days), ChronoUnit.DAYS);
            int hour = weightedHour(random);
            Instant at = day.plus(hour, ChronoUnit.HOURS).plusMillis(random.nextInt(3_600_000));
            if (at.isBefore(now.minus(5, ChronoUnit.MINUTES))) {
                return at;
            }
        }
    }

    private static int weightedHour(Random random) {
        int total = 0;
        for (int weight : HOUR_WEIGHTS) {
            total += weight;
        }
        int roll = random.nextInt(total);
        for (int hour = 0; hour < HOUR_WEIGHTS.length; hour++) {
            roll -= HOUR_WEIGHTS[hour];
            if (roll < 0) {
                return hour;
            }
        }
        return HOUR_WEIGHTS.length - 1;
    }

    private static int weighted(Random random, String[][] table, int weightColumn) {
        int total = 0;
        for (String[] row : table) {
            total += Integer.parseInt(row[weightColumn]);
        }
        int roll = random.nextInt(total);
        for (int i = 0; i < table.length; i++) {
            roll -= Integer.parseInt(table[i][weightColumn]);
            if (roll < 0) {
                return i;
            }
        }
        return table.length - 1;
    }

    private static int pick(Random random, double[] shares) {
        double roll = random.nextDouble();
        for (int i = 0; i < shares.length; i++) {
            roll -= shares[i];
            if (roll < 0) {
                return i;
            }
        }
        for (int i = shares.length - 1; i >= 0; i--) {
            if (shares[i] > 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("a profile needs a status with a share above zero");
    }
}
