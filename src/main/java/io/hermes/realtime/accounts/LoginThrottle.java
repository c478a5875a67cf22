package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.redis.RedisScript;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Limits failed sign-ins, per username and per client address, to {@code maxFailures} per window, counted in
 * Redis ({@code hermes:login:failures:user:{name}}, {@code …:address:{address}}, each expiring with its
 * window) so that every instance shares the count. Behind a proxy every client has the proxy's address;
 * the per-username count still holds.
 */
final class LoginThrottle {
    private static final RedisScript COUNT = RedisScript.load(LoginThrottle.class, "count_failure.lua");

    private final UnifiedJedis redis;
    private final int maxFailures;
    private final int windowSeconds;

    LoginThrottle(UnifiedJedis redis, int maxFailures, int windowSeconds) {
        this.redis = redis;
        this.maxFailures = maxFailures;
        this.windowSeconds = windowSeconds;
    }

    /** Throws 429, with {@code Retry-After} the seconds until the fullest window ends, when either count is full. */
    void check(String login, String address) {
        long wait = 0;
        for (String key : List.of(userKey(login), addressKey(address))) {
            String count = redis.get(key);
            if (count != null && Long.parseLong(count) >= maxFailures) {
                wait = Math.max(wait, Math.max(1, redis.ttl(key)));
            }
        }
        if (wait > 0) {
            throw new ApiException(429, "Too many failed sign-in attempts. Try again later.",
                    Map.of("Retry-After", Long.toString(wait)));
        }
    }

    void failed(String login, String address) {
        COUNT.run(redis, List.of(userKey(login), addressKey(address)), List.of(Integer.toString(windowSeconds)));
    }

    /** A success clears the username's count; the address's stays, as others may share it. */
    void succeeded(String login) {
        redis.del(userKey(login));
    }

    private static String userKey(String login) {
        return "hermes:login:failures:user:" + login.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "hermes:login:failures:address:" + address;
    }
}
