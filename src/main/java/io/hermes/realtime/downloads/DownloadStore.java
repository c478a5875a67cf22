package io.hermes.realtime.downloads;

import io.hermes.realtime.json.Timestamps;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.ViewVersions;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.redis.RedisScript;
import io.hermes.realtime.redis.ReplicaWait;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;

/**
 * Download records and their indexes in Redis (see {@code package-info} for the keys). Every status
 * change is one Lua script, so a terminal download never changes again, whatever races with it.
 */
public final class DownloadStore {
    private static final RedisScript TRANSITION = RedisScript.load(DownloadStore.class, "transition.lua");
    private static final RedisScript CLAIM = RedisScript.load(DownloadStore.class, "claim.lua");
    private static final RedisScript PROGRESS = RedisScript.load(DownloadStore.class, "progress.lua");
    private static final RedisScript RECOVER = RedisScript.load(DownloadStore.class, "recover.lua");
    private static final RedisScript DELETE = RedisScript.load(DownloadStore.class, "delete.lua");
    private static final RedisScript FORGET_FILE = RedisScript.load(DownloadStore.class, "forget_file.lua");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    static final String PENDING = "hermes:queue:pending";
    /** The statuses of a download a worker is running. */
    private static final Set<Status> RUNNING = Set.of(Status.DOWNLOADING, Status.PROCESSING);
    /** What {@link #forEachCompleted} reads of a record: whose it is, which files it left, what it was. */
    private static final String[] FILE_FIELDS = {"id", "owner", "status", "url", "title", "created_at",
        "completed_at", "file_path", "file_size", "files", "media_duration"};
    /** History ids {@link #forEachCompleted} reads per round trip. */
    private static final int HISTORY_PAGE = 200;

    private final UnifiedJedis redis;
    private final Clock clock;

    /** Wakes this instance's idle workers when a download is queued here. */
    private final QueueSignal queued = new QueueSignal();

    /**
     * How many replicas must have a download's final status before the worker goes on
     * ({@code HERMES_REDIS_WAIT_REPLICAS}): a completion the master acknowledged and lost in a failover would
     * otherwise be run again when its lease expires.
     */
    private final ReplicaWait endWait;

    /** Writes the JSON arrays of a record's fields ({@code files}). */
    private final Json json;

    /** A store that waits for no replica, with a mapper of its own (tests and tools). */
    public DownloadStore(UnifiedJedis redis, Clock clock) {
        this(redis, clock, ReplicaWait.NONE, new Json());
    }

    public DownloadStore(UnifiedJedis redis, Clock clock, ReplicaWait endWait, Json json) {
        this.redis = redis;
        this.clock = clock;
        this.endWait = endWait;
        this.json = json;
    }

    /** How a status change went. */
    public enum Outcome { OK, MISSING, TERMINAL, REFUSED }

    /** The result of {@link #transition}: the outcome and the status the download had before. */
    public record Transition(Outcome outcome, Status previous) {
        public boolean applied() {
            return outcome == Outcome.OK;
        }
    }

    /** Stores a new queued download and puts it on the shared work queue, in one transaction. */
    public Download create(NewDownload spec, String owner) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        Map<String, String> fields = new HashMap<>();
        fields.put("id", id);
        fields.put("owner", owner);
        fields.put("url", spec.url());
        fields.put("status", Status.QUEUED.wire());
        fields.put("format", spec.format());
        fields.put("download_subtitles", Boolean.toString(spec.downloadSubtitles()));
        fields.put("download_thumbnail", Boolean.toString(spec.downloadThumbnail()));
        fields.put("priority", spec.priority());
        fields.put("created_at", Timestamps.format(now));
        fields.put("created_ms", Long.toString(now.toEpochMilli()));
        fields.put("message", "Queued");
        fields.put("extractor", extractorOf(spec.url()));
        putIfPresent(fields, "output_template", spec.outputTemplate());
        putIfPresent(fields, "output_directory", spec.outputDirectory());
        putIfPresent(fields, "metadata", spec.metadataJson());
        putIfPresent(fields, "batch_id", spec.batchId());
        if (spec.subtitleLanguages() != null) {
            fields.put("subtitle_languages", spec.subtitleLanguages().stream()
                    .map(language -> "\"" + language + "\"").collect(Collectors.joining(",", "[", "]")));
        }
        double score = now.toEpochMilli();
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.hset(DownloadIds.recordKey(id), fields);
            transaction.zadd("hermes:downloads", score, id);
            transaction.zadd("hermes:downloads:owner:" + owner, score, id);
            transaction.zadd(statusKey(null, Status.QUEUED), score, id);
            transaction.zadd(statusKey(owner, Status.QUEUED), score, id);
            if ("high".equals(spec.priority())) {
                transaction.rpush(PENDING, id); // workers take from the right: high priority goes first
            } else {
                transaction.lpush(PENDING, id);
            }
            ViewVersions.bump(transaction, DataSet.DOWNLOADS);
            transaction.exec();
        }
        queued.signal();
        return new Download(fields);
    }

    public Optional<Download> find(String id) {
        if (!DownloadIds.isWellFormed(id)) {
            return Optional.empty();
        }
        Map<String, String> fields = redis.hgetAll(DownloadIds.recordKey(id));
        return fields.isEmpty() || !fields.containsKey("status") ? Optional.empty() : Optional.of(new Download(fields));
    }

    public Optional<Status> statusOf(String id) {
        String status = redis.hget(DownloadIds.recordKey(id), "status");
        return status == null ? Optional.empty() : Optional.of(Status.valueOf(status.toUpperCase()));
    }

    /** The status counts and one page of the downloads index: what {@code GET /queue} shows. */
    public record QueuePage(Map<Status, Long> counts, List<Download> items) {
    }

    /**
     * The counts of every status and a page of downloads, newest first; {@code owner} null means every
     * owner, {@code status} null every status. Two round trips: the counts with the page's ids, then the
     * records.
     */
    public QueuePage queuePage(String owner, Status status, int limit, int offset) {
        String index = status == null ? (owner == null ? "hermes:downloads" : "hermes:downloads:owner:" + owner)
                : statusKey(owner, status);
        Map<Status, Response<Long>> pending = new EnumMap<>(Status.class);
        Response<List<String>> ids;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Status each : Status.values()) {
                pending.put(each, pipeline.zcard(statusKey(owner, each)));
            }
            ids = pipeline.zrevrange(index, offset, offset + limit - 1L);
            pipeline.sync();
        }
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        pending.forEach((each, count) -> counts.put(each, count.get()));
        return new QueuePage(counts, read(ids.get()));
    }

    /**
     * Moves a download to {@code to} if its current status is one of {@code from} ({@code null}: any
     * non-terminal), setting {@code fields} in the same step; terminal downloads are never touched. A move to a
     * final status waits for the replicas of {@code HERMES_REDIS_WAIT_REPLICAS}, when set.
     */
    public Transition transition(String id, Status to, Set<Status> from, Map<String, String> fields) {
        Instant now = clock.instant();
        List<String> args = new ArrayList<>();
        args.add(id);
        args.add(to.wire());
        args.add(from == null ? "*" : from.stream().map(Status::wire).collect(Collectors.joining(",")));
        args.add(Long.toString(now.toEpochMilli()));
        args.add(DAY.format(now));
        args.add(HOUR.format(now));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value == null ? "" : value);
        });
        @SuppressWarnings("unchecked")
        List<String> keys = List.of(DownloadIds.recordKey(id));
        List<Object> reply = (List<Object>) (to.isTerminal() && endWait.enabled()
                ? TRANSITION.runReplicated(redis, keys, args, endWait).result()
                : TRANSITION.run(redis, keys, args));
        Outcome outcome = Outcome.valueOf(String.valueOf(reply.get(0)).toUpperCase());
        String previous = String.valueOf(reply.get(1));
        return new Transition(outcome, previous.isEmpty() ? null : Status.valueOf(previous.toUpperCase()));
    }

    /**
     * A finished transfer's file, as the worker hands it over: where it landed, below the download directory.
     *
     * @param otherFiles files written beside it (subtitles, thumbnail), relative paths too
     * @param media      what yt-dlp told about the media, or null for a plain file
     */
    public record CompletedFile(String relativePath, long bytes, String fileName, java.time.Duration elapsed,
            List<String> otherFiles, MediaDescription media) {
        /** A plain file: nothing beside it, titled by its name. */
        public CompletedFile(String relativePath, long bytes, String fileName, java.time.Duration elapsed) {
            this(relativePath, bytes, fileName, elapsed, List.of(), null);
        }
    }

    /**
     * What yt-dlp told about a download's media, stored while it runs so clients can show it.
     *
     * @param duration the media's length in seconds, or null
     */
    public record MediaDescription(String title, String extractor, String description, String thumbnailUrl,
            Double duration) {
        Map<String, String> fields() {
            Map<String, String> fields = new HashMap<>();
            putIfPresent(fields, "title", title);
            putIfPresent(fields, "extractor", extractor);
            putIfPresent(fields, "description", description);
            putIfPresent(fields, "thumbnail_url", thumbnailUrl);
            if (duration != null) {
                fields.put("media_duration", String.format(java.util.Locale.ROOT, "%.3f", duration));
            }
            return fields;
        }
    }

    /** Stores what is known of a running download's media; refused once it no longer downloads. */
    public Transition describe(String id, MediaDescription media) {
        return transition(id, Status.DOWNLOADING, Set.of(Status.DOWNLOADING), media.fields());
    }

    /** Every byte is in; the download is merged, converted, moved ({@code processing}) until it completes. */
    public Transition processing(String id) {
        return transition(id, Status.PROCESSING, Set.of(Status.DOWNLOADING), Map.of("message", "Processing…"));
    }

    /**
     * Completes a running download with its file, in one step: the record's result fields, its final
     * progress, and the status. Refused (see {@link Transition}) when it is no longer running.
     */
    public Transition complete(String id, CompletedFile file) {
        Map<String, String> fields = new HashMap<>();
        fields.put("completed_at", Timestamps.format(clock.instant()));
        fields.put("message", "Download completed");
        fields.put("file_path", file.relativePath());
        fields.put("file_size", Long.toString(file.bytes()));
        fields.put("title", file.fileName());
        // The path below the download directory: the upstream app hands it back to /files/download as it is.
        fields.put("current_filename", file.relativePath());
        if (file.media() != null) {
            fields.putAll(file.media().fields()); // the media's title, not the file's name
        }
        if (!file.otherFiles().isEmpty()) {
            List<String> all = new ArrayList<>();
            all.add(file.relativePath());
            all.addAll(file.otherFiles());
            fields.put("files", toJsonArray(all));
        }
        fields.put("transfer_ms", Long.toString(file.elapsed().toMillis()));
        fields.put("duration", String.format(java.util.Locale.ROOT, "%.3f", file.elapsed().toMillis() / 1000.0));
        fields.put("progress", ProgressReading.finished(file.bytes()).wireJson());
        return transition(id, Status.COMPLETED, RUNNING, fields);
    }

    /** Fails a running download with the reason a client reads and its error type (for the statistics). */
    public Transition fail(String id, String message, String errorType) {
        Map<String, String> fields = new HashMap<>();
        fields.put("completed_at", Timestamps.format(clock.instant()));
        fields.put("message", "Download failed: " + message);
        fields.put("error", message);
        fields.put("error_type", errorType);
        return transition(id, Status.FAILED, RUNNING, fields);
    }

    /** Takes the next queued download and leases it until {@code leaseMillis} from now; empty when idle. */
    public Optional<String> claim(long leaseMillis) {
        Instant now = clock.instant();
        Object id = CLAIM.run(redis, List.of(), List.of(Long.toString(now.toEpochMilli()),
                Long.toString(now.toEpochMilli() + leaseMillis), Timestamps.format(now)));
        return id == null ? Optional.empty() : Optional.of(String.valueOf(id));
    }

    /** Records progress and renews the lease; false when the download is no longer ours to run. */
    public boolean recordProgress(String id, String progressJson, String snapshotJson, String fileName, long leaseMillis) {
        Object recorded = PROGRESS.run(redis, List.of(DownloadIds.recordKey(id), DownloadIds.progressKey(id)),
                List.of(id, progressJson, snapshotJson, Long.toString(clock.millis() + leaseMillis), fileName));
        return Long.valueOf(1).equals(recorded);
    }

    /** Extends the leases of running transfers, so a slow server does not make them look abandoned. */
    public void renewLeases(Set<String> ids, long leaseMillis) {
        if (ids.isEmpty()) {
            return;
        }
        double expiry = clock.millis() + leaseMillis;
        Map<String, Double> scores = ids.stream().collect(Collectors.toMap(id -> id, id -> expiry));
        redis.zadd("hermes:queue:leases", scores, ZAddParams.zAddParams().xx());
    }

    /**
     * Re-queues (or, after {@code maxAttempts}, fails) downloads whose lease expired. Returns each one's id and
     * record as the recovery left it.
     */
    public Map<String, Download> recoverExpired(int maxAttempts) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object> changed = (List<Object>) RECOVER.run(redis, List.of(), List.of(Long.toString(now.toEpochMilli()),
                Integer.toString(maxAttempts), Timestamps.format(now), DAY.format(now), HOUR.format(now)));
        Map<String, Download> result = new HashMap<>();
        for (int i = 0; i + 2 < changed.size(); i += 3) {
            List<?> pairs = (List<?>) changed.get(i + 2);
            Map<String, String> fields = new HashMap<>();
            for (int j = 0; j + 1 < pairs.size(); j += 2) {
                fields.put(String.valueOf(pairs.get(j)), String.valueOf(pairs.get(j + 1)));
            }
            result.put(String.valueOf(changed.get(i)), new Download(fields));
        }
        if (!result.isEmpty()) {
            queued.signal(); // some went back on the queue
        }
        return result;
    }

    /** What this instance's idle workers wait on: downloads queued here, recovered ones, a stop. */
    public QueueSignal queued() {
        return queued;
    }

    /** Puts a download this instance was running back on the queue (the instance is stopping). */
    public boolean requeue(String id) {
        Transition back = transition(id, Status.QUEUED, Set.of(Status.DOWNLOADING, Status.PROCESSING),
                Map.of("message", "Re-queued: the server running it stopped"));
        if (back.applied()) {
            redis.zrem("hermes:queue:leases", id);
            redis.rpush(PENDING, id);
        }
        return back.applied();
    }

    /** Deletes the record and its index entries; returns the stored file path ("" if none), empty if missing. */
    public Optional<String> delete(String id) {
        Object path = DELETE.run(redis, List.of(DownloadIds.recordKey(id)), List.of(id));
        return path == null ? Optional.empty() : Optional.of(String.valueOf(path));
    }

    /**
     * Shows {@code visitor} the completed downloads of {@code owner} ({@code null}: every owner), newest
     * completion first, among the newest {@code limit} ended downloads of the history, until it returns false.
     * Each record holds only the fields that tell which files it left ({@code id, owner, status, url, title,
     * created_at, completed_at, file_path, file_size, files}). The history is read a page at a time with one
     * pipelined {@code HMGET} per download, so a visitor that finds what it wants early stops early.
     *
     * <p>Pages are taken by rank: a download ending or deleted meanwhile shifts the ranks, so one may be
     * shown twice (the second time is skipped) or, rarely, missed.
     */
    public void forEachCompleted(String owner, int limit, Predicate<Download> visitor) {
        String history = owner == null ? "hermes:history" : "hermes:history:owner:" + owner;
        Set<String> seen = new HashSet<>();
        for (int start = 0; start < limit; start += HISTORY_PAGE) {
            int end = Math.min(limit, start + HISTORY_PAGE) - 1;
            List<String> ids = redis.zrevrange(history, start, end);
            List<Response<List<String>>> replies = new ArrayList<>(ids.size());
            try (AbstractPipeline pipeline = redis.pipelined()) {
                for (String id : ids) {
                    replies.add(pipeline.hmget(DownloadIds.RECORD_PREFIX + id, FILE_FIELDS));
                }
                pipeline.sync();
            }
            for (int i = 0; i < ids.size(); i++) {
                Map<String, String> fields = new HashMap<>();
                List<String> values = replies.get(i).get();
                for (int field = 0; field < FILE_FIELDS.length; field++) {
                    putIfPresent(fields, FILE_FIELDS[field], values.get(field));
                }
                // A record deleted since the page was read has no status; an id in a wrong owner's index is not theirs.
                boolean completed = Status.COMPLETED.wire().equals(fields.get("status"));
                boolean theirs = owner == null || owner.equals(fields.get("owner"));
                if (completed && theirs && seen.add(ids.get(i)) && !visitor.test(new Download(fields))) {
                    return;
                }
            }
            if (ids.size() <= end - start) {
                return; // the history has no more
            }
        }
    }

    /** How {@link #forgetFile} went. */
    public enum Forgetting { OK, MISSING, CHANGED }

    /**
     * Makes a download no longer list one of its files, once that file was deleted: {@code file_path} goes when
     * it is {@code path}, and {@code files} becomes {@code filesAfter} provided it still reads {@code filesBefore}
     * (a compare-and-set, so two deletions of files of one download cannot undo each other).
     *
     * @param path        the file exactly as the record names it
     * @param filesBefore the record's {@code files} as read, {@code null} when it had none
     * @param filesAfter  the JSON array to store in its place ({@code null} when it had none)
     * @return {@link Forgetting#CHANGED} when {@code files} changed since it was read: read it again and retry
     */
    public Forgetting forgetFile(String id, String path, String filesBefore, String filesAfter) {
        Object outcome = FORGET_FILE.run(redis, List.of(DownloadIds.recordKey(id)),
                List.of(path, filesBefore == null ? "" : filesBefore, filesAfter == null ? "" : filesAfter));
        return Forgetting.valueOf(String.valueOf(outcome).toUpperCase());
    }

    /** The records of ids read from our own indexes, which hold only ids we wrote, so they are not checked again. */
    private List<Download> read(List<String> ids) {
        List<Response<Map<String, String>>> replies = new ArrayList<>(ids.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : ids) {
                replies.add(pipeline.hgetAll(DownloadIds.RECORD_PREFIX + id));
            }
            pipeline.sync();
        }
        List<Download> downloads = new ArrayList<>(ids.size());
        for (Response<Map<String, String>> reply : replies) {
            Map<String, String> fields = reply.get();
            if (fields.containsKey("status")) {
                downloads.add(new Download(fields));
            }
        }
        return downloads;
    }

    static String statusKey(String owner, Status status) {
        return (owner == null ? "hermes:downloads" : "hermes:downloads:owner:" + owner) + ":status:" + status.wire();
    }

    /** Where a file came from, for "popular extractors": the URL's host. */
    static String extractorOf(String url) {
        String host = java.net.URI.create(url).getHost();
        return host == null ? "unknown" : host.toLowerCase().replaceFirst("^www\\.", "");
    }

    private static void putIfPresent(Map<String, String> fields, String field, String value) {
        if (value != null) {
            fields.put(field, value);
        }
    }

    /** A JSON array of strings, for a field workers in any language read. */
    private String toJsonArray(List<String> values) {
        return json.write(values);
    }
}
