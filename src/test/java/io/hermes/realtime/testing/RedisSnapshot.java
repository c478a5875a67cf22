package io.hermes.realtime.testing;

import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/** Everything Redis holds, key by key (type and serialised value), to prove a refused request changed nothing. */
public final class RedisSnapshot {
    private RedisSnapshot() {
    }

    public static Map<String, String> of(TestRedis redis) {
        Map<String, String> contents = new TreeMap<>();
        try (Jedis jedis = redis.client()) {
            for (String key : jedis.keys("*")) {
                byte[] dump = jedis.dump(key);
                contents.put(key, dump == null ? "gone" : java.util.HexFormat.of().formatHex(dump));
            }
        }
        return contents;
    }
}
