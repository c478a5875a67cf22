package io.hermes.realtime.polling;

import io.hermes.realtime.redis.RedisScript;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * The versions of the {@link DataSet}s, kept in Redis so that every instance sees a write the moment
 * it is made. Writers increment a version in the same MULTI or Lua script as their change
 * ({@code bump.lua}); readers read it before the data, so a body is never older than the version it
 * is filed under.
 */
public final class ViewVersions {
    /** Hash of data set name → version (an integer that only grows). */
    public static final String KEY = "hermes:views";
    private static final RedisScript BUMP = RedisScript.load(ViewVersions.class, "bump.lua");

    private final UnifiedJedis redis;

    public ViewVersions(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** The data set's version, or {@code null} while nothing has written it since Redis was last emptied. */
    public String current(DataSet data) {
        return redis.hget(KEY, data.field());
    }

    /** Queues the increment of each data set's version into {@code transaction}, next to the write it versions. */
    public static void bump(AbstractTransaction transaction, DataSet... changed) {
        BUMP.queue(transaction, List.of(KEY), Arrays.stream(changed).map(DataSet::field).toList());
    }
}
