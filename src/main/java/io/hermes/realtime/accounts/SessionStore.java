package io.hermes.realtime.accounts;

import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.Sha256;
import io.hermes.realtime.json.Timestamps;
import io.hermes.realtime.redis.RedisScript;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sign-in sessions. Tokens are 32 random bytes (access {@code hat_…}, refresh {@code hrt_…}); only their
 * SHA-256 is stored, each under a key that expires with it:
 * <ul>
 * <li>{@code hermes:session:{id}}: {@code user_id}, the current {@code refresh_hash} and {@code access_hash},
 * {@code created_at}; lives as long as its refresh token;</li>
 * <li>{@code hermes:session:access:{hash}} → {@code session}, {@code user}; lives as long as the access token;</li>
 * <li>{@code hermes:session:refresh:{hash}} → session id, kept for every refresh token the session was given,
 * so that one shown after its rotation is recognised and ends the session (reuse detection);</li>
 * <li>{@code hermes:user:{id}:sessions}: the user's session ids, so that disabling the user ends them all.</li>
 * </ul>
 * The scripts name keys they derive from values (the session id), so this needs one Redis, not a Cluster.
 */
final class SessionStore {
    static final String PREFIX = "hermes:session:";
    static final String CREDENTIAL = Caller.SESSION;
    private static final String ACCESS_PREFIX = "hat_";
    private static final String REFRESH_PREFIX = "hrt_";
    private static final Pattern ACCESS = Pattern.compile("hat_[A-Za-z0-9_-]{43}");
    private static final Pattern REFRESH = Pattern.compile("hrt_[A-Za-z0-9_-]{43}");
    private static final RedisScript ROTATE = RedisScript.load(SessionStore.class, "rotate_session.lua");
    private static final RedisScript END = RedisScript.load(SessionStore.class, "end_session.lua");

    private final UnifiedJedis redis;
    private final SecureRandom random;
    private final Clock clock;
    private final int accessTtl;
    private final int refreshTtl;
    private final long reuseGraceMillis;
    private final String revocationChannel;

    SessionStore(UnifiedJedis redis, SecureRandom random, Clock clock, int accessTtlSeconds, int refreshTtlSeconds,
            int reuseGraceSeconds, String revocationChannel) {
        this.redis = redis;
        this.random = random;
        this.clock = clock;
        this.accessTtl = accessTtlSeconds;
        this.refreshTtl = refreshTtlSeconds;
        this.reuseGraceMillis = reuseGraceSeconds * 1000L;
        this.revocationChannel = revocationChannel;
    }

    /** The tokens given to a client; {@code sessionId} is what its credential id names. */
    record Tokens(String sessionId, String userId, String accessToken, String refreshToken) {
    }

    /** A session found by its access token. */
    record Found(String sessionId, String userId) {
    }

    /** What showing a refresh token did. */
    sealed interface Refreshed {
    }

    record Rotated(Tokens tokens) implements Refreshed {
    }

    /** The token had been rotated already: the session is over, for everyone holding its tokens. */
    record Reused(String sessionId) implements Refreshed {
    }

    record Unknown() implements Refreshed {
    }

    Tokens open(String userId) {
        String id = UUID.randomUUID().toString();
        String access = newToken(ACCESS_PREFIX);
        String refresh = newToken(REFRESH_PREFIX);
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.hset(PREFIX + id, Map.of("user_id", userId, "refresh_hash", hash(refresh),
                    "access_hash", hash(access), "created_at", Timestamps.format(clock.instant())));
            transaction.expire(PREFIX + id, refreshTtl);
            transaction.hset(accessKey(hash(access)), Map.of("session", id, "user", userId));
            transaction.expire(accessKey(hash(access)), accessTtl);
            transaction.setex(refreshKey(hash(refresh)), refreshTtl, id);
            transaction.sadd(userSessionsKey(userId), id);
            transaction.expire(userSessionsKey(userId), refreshTtl);
            transaction.exec();
        }
        return new Tokens(id, userId, access, refresh);
    }

    /** The live session of an access token; anything not shaped like one is not looked up. */
    Optional<Found> findByAccessToken(String token) {
        if (token == null || !ACCESS.matcher(token).matches()) {
            return Optional.empty();
        }
        Map<String, String> fields = redis.hgetAll(accessKey(hash(token)));
        if (fields.get("session") == null || fields.get("user") == null) {
            return Optional.empty();
        }
        // An access token replaced by a refresh lives on for the reuse grace; its session must still be there.
        if (!redis.exists(PREFIX + fields.get("session"))) {
            return Optional.empty();
        }
        return Optional.of(new Found(fields.get("session"), fields.get("user")));
    }

    Refreshed refresh(String refreshToken) {
        if (refreshToken == null || !REFRESH.matcher(refreshToken).matches()) {
            return new Unknown();
        }
        String shown = hash(refreshToken);
        String access = newToken(ACCESS_PREFIX);
        String refresh = newToken(REFRESH_PREFIX);
        // The new pair, sealed with the token shown: within the grace, whoever shows that token again gets
        // this very pair, and only they can open it (the store holds the token's hash, not the token).
        String sealed = reuseGraceMillis == 0 ? "" : GraceSeal.seal(refreshToken, access + " " + refresh, random);
        Object result = ROTATE.run(redis, List.of(refreshKey(shown)), List.of(shown, hash(refresh), hash(access),
                Integer.toString(accessTtl), Integer.toString(refreshTtl), revocationChannel, PREFIX,
                Long.toString(clock.millis()), Long.toString(reuseGraceMillis), sealed));
        List<?> outcome = (List<?>) result;
        return switch (String.valueOf(outcome.get(0))) {
            case "rotated" -> new Rotated(new Tokens(String.valueOf(outcome.get(1)), String.valueOf(outcome.get(2)),
                    access, refresh));
            case "replayed" -> GraceSeal.open(refreshToken, String.valueOf(outcome.get(3)))
                    .map(pair -> (Refreshed) new Rotated(new Tokens(String.valueOf(outcome.get(1)),
                            String.valueOf(outcome.get(2)), pair.substring(0, pair.indexOf(' ')),
                            pair.substring(pair.indexOf(' ') + 1))))
                    .orElseGet(Unknown::new);
            case "reused" -> new Reused(String.valueOf(outcome.get(1)));
            default -> new Unknown();
        };
    }

    /** Ends a session (its access and refresh tokens) and announces it, so its streams end on every instance. */
    void end(String sessionId) {
        END.run(redis, List.of(PREFIX + sessionId), List.of(PREFIX, revocationChannel, CREDENTIAL + sessionId));
    }

    /**
     * Ends every session of a user (disabled or deleted), each announced so its streams end. The user's set of
     * session ids may name some that expired; ending those again is harmless.
     */
    void endAllOf(String userId) {
        for (String sessionId : redis.smembers(userSessionsKey(userId))) {
            end(sessionId);
        }
        redis.del(userSessionsKey(userId));
    }

    /** Ends every session of a user but {@code kept} (its password changed in that session). */
    void endAllOfBut(String userId, String kept) {
        for (String sessionId : redis.smembers(userSessionsKey(userId))) {
            if (!sessionId.equals(kept)) {
                end(sessionId);
                redis.srem(userSessionsKey(userId), sessionId);
            }
        }
    }

    /** The ids among {@code sessionIds} whose session is over (ended, reused or expired), in one round trip. */
    Set<String> endedAmong(Collection<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Set.of();
        }
        Map<String, Response<Boolean>> exists = new HashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : sessionIds) {
                exists.put(id, pipeline.exists(PREFIX + id));
            }
            pipeline.sync();
        }
        Set<String> ended = new HashSet<>();
        exists.forEach((id, found) -> {
            if (!Boolean.TRUE.equals(found.get())) {
                ended.add(id);
            }
        });
        return ended;
    }

    int accessTtlSeconds() {
        return accessTtl;
    }

    private String newToken(String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(Sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static String accessKey(String hash) {
        return PREFIX + "access:" + hash;
    }

    /** The ids of a user's sessions, so that disabling the user can end them all. */
    private static String userSessionsKey(String userId) {
        return "hermes:user:" + userId + ":sessions";
    }

    private static String refreshKey(String hash) {
        return PREFIX + "refresh:" + hash;
    }
}
