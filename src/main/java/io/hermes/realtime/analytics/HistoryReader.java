package io.hermes.realtime.analytics;

import io.hermes.realtime.downloads.DownloadIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Pages through a history ZSET ({@code hermes:history[:owner:{owner}]}, score = completed_at ms), newest
 * first, and reads the page's records with one pipelined {@code HGETALL} each.
 *
 * <p>Without a status or extractor filter, the count and the page come straight from the ZSET. With one,
 * there is no index to ask, so the newest {@value #MAX_SCANNED} ids of the score range are scanned
 * ({@code HMGET} of three fields each, pipelined) and filtered here: a filtered query over a larger
 * range only sees matches among those newest ids, and {@code totalItems} counts only those. This bounds
 * the work of one request whatever the size of the history.
 */
final class HistoryReader {
    static final int MAX_SCANNED = 10_000;

    private final UnifiedJedis redis;

    HistoryReader(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** One item of {@code /history}; {@code duration} is in seconds. */
    record Item(String downloadId, String url, String status, String startedAt, String completedAt, Number duration,
            Long fileSize, String extractor, String title, String errorMessage) {

        static Item of(String id, Map<String, String> record) {
            return new Item(id, record.get("url"), record.get("status"), record.get("started_at"),
                    record.get("completed_at"), seconds(record.get("duration")), bytes(record.get("file_size")),
                    record.get("extractor"), record.get("title"), record.get("error"));
        }
    }

    record Page(List<Item> items, long totalItems) {
    }

    /**
     * The page at {@code offset}/{@code limit} of the ids scored between {@code minScore} and
     * {@code maxScore} (Redis score syntax, inclusive; {@code -inf}/{@code +inf} for open ends), keeping
     * only {@code status} and {@code extractor} (case-insensitive, the URL's host) when not null.
     */
    Page read(Scope scope, String minScore, String maxScore, String status, String extractor, int offset, int limit) {
        String key = scope.historyKey();
        List<String> ids;
        long totalItems;
        if (status == null && extractor == null) {
            Response<Long> count;
            Response<List<String>> page;
            try (AbstractPipeline pipeline = redis.pipelined()) {
                count = pipeline.zcount(key, minScore, maxScore);
                page = pipeline.zrevrangeByScore(key, maxScore, minScore, offset, limit);
                pipeline.sync();
            }
            totalItems = count.get();
            ids = page.get();
        } else {
            List<String> matching = matching(scope, minScore, maxScore, status, extractor);
            totalItems = matching.size();
            int from = (int) Math.min(matching.size(), offset);
            int to = (int) Math.min(matching.size(), (long) offset + limit);
            ids = matching.subList(from, to);
        }
        return new Page(records(scope, ids), totalItems);
    }

    private List<String> matching(Scope scope, String minScore, String maxScore, String status, String extractor) {
        List<String> scanned = redis.zrevrangeByScore(scope.historyKey(), maxScore, minScore, 0, MAX_SCANNED);
        List<String> ids = new ArrayList<>(scanned.size());
        List<Response<List<String>>> fields = new ArrayList<>(scanned.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : scanned) {
                if (DownloadIds.isWellFormed(id)) {
                    ids.add(id);
                    fields.add(pipeline.hmget(DownloadIds.recordKey(id), "status", "extractor", "owner"));
                }
            }
            pipeline.sync();
        }
        List<String> matching = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            List<String> values = fields.get(i).get();
            if ((status == null || status.equals(values.get(0)))
                    && (extractor == null || extractor.equalsIgnoreCase(values.get(1)))
                    && belongs(scope, values.get(2))) {
                matching.add(ids.get(i));
            }
        }
        return matching;
    }

    private List<Item> records(Scope scope, List<String> ids) {
        List<String> readable = ids.stream().filter(DownloadIds::isWellFormed).toList();
        List<Response<Map<String, String>>> records = new ArrayList<>(readable.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : readable) {
                records.add(pipeline.hgetAll(DownloadIds.recordKey(id)));
            }
            pipeline.sync();
        }
        List<Item> items = new ArrayList<>(readable.size());
        for (int i = 0; i < readable.size(); i++) {
            Map<String, String> record = records.get(i).get();
            // A record deleted since the index was read is left out rather than shown half empty.
            if (record != null && !record.isEmpty() && belongs(scope, record.get("owner"))) {
                items.add(Item.of(readable.get(i), record));
            }
        }
        return items;
    }

    /**
     * The owner index already holds only the owner's ids; this second check keeps a stray id in a wrong
     * index from showing another owner's download. Records without an owner field are trusted to the index.
     */
    private static boolean belongs(Scope scope, String recordOwner) {
        return scope.owner() == null || recordOwner == null || scope.owner().equals(recordOwner);
    }

    /** Seconds as stored: an integer stays an integer, a fraction a fraction; anything else is null. */
    static Number seconds(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notAnInteger) {
            try {
                double parsed = Double.parseDouble(value);
                if (!Double.isFinite(parsed)) {
                    return null;
                }
                return parsed == Math.rint(parsed) && Math.abs(parsed) < 1e15 ? (Number) (long) parsed : parsed;
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
    }

    /** A byte count, or null when absent or not a number. */
    static Long bytes(String raw) {
        Number number = seconds(raw);
        if (number == null || number instanceof Long) {
            return (Long) number;
        }
        return Math.round(number.doubleValue());
    }
}
