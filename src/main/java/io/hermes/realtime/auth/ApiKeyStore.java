package io.hermes.realtime.auth;

import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * API keys in Redis, read on every request so that creation, expiry and revocation hold at once on
 * every instance.
 *
 * <p>Keys: {@code hermes:apikey:{id}} (a hash of the key's fields, with the SHA-256 of the key),
 * {@code hermes:apikey:hash:{sha256}} → id (the lookup index; revocation deletes it) and the set
 * {@code hermes:apikeys} of ids.
 */
public final class ApiKeyStore {
    private static final String IDS = "hermes:apikeys";
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(60);

    private final UnifiedJedis redis;
    private final Secrets secrets;
    private final Json json;
    private final Clock clock;

    public ApiKeyStore(UnifiedJedis redis, Secrets secrets, Json json, Clock clock) {
        this.redis = redis;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
    }

    /** A new key and the secret to show once. */
    public record Created(ApiKey key, String secret) {
    }

    public Created create(String name, List<String> permissions, String owner, String expiresAt) {
        String secret = secrets.newApiKey();
        String hash = Secrets.hash(secret);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), name, List.copyOf(permissions), owner, true,
                Timestamps.format(clock.instant()), null, expiresAt);
        Map<String, String> fields = new HashMap<>();
        fields.put("id", key.id());
        fields.put("name", name);
        fields.put("permissions", json.write(permissions));
        fields.put("owner", owner);
        fields.put("active", "1");
        fields.put("created_at", key.createdAt());
        fields.put("key_hash", hash);
        if (expiresAt != null) {
            fields.put("expires_at", expiresAt);
        }
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.hset(recordKey(key.id()), fields);
            transaction.set(hashKey(hash), key.id());
            transaction.sadd(IDS, key.id());
            transaction.exec();
        }
        return new Created(key, secret);
    }

    /** The active, unexpired key whose secret this is. */
    Optional<ApiKey> findBySecret(String secret) {
        if (!Secrets.looksLikeApiKey(secret)) {
            return Optional.empty();
        }
        String hash = Secrets.hash(secret);
        String id = redis.get(hashKey(hash));
        if (id == null) {
            return Optional.empty();
        }
        Map<String, String> fields = redis.hgetAll(recordKey(id));
        String storedHash = fields.get("key_hash");
        if (storedHash == null || !Secrets.sameHash(storedHash, hash)) {
            return Optional.empty();
        }
        ApiKey key = read(fields);
        Instant now = clock.instant();
        if (!key.active() || isExpired(key, now)) {
            return Optional.empty();
        }
        touch(key, now);
        return Optional.of(key);
    }

    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>();
        for (String id : redis.smembers(IDS)) {
            Map<String, String> fields = redis.hgetAll(recordKey(id));
            if (!fields.isEmpty()) {
                keys.add(read(fields));
            }
        }
        keys.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        return keys;
    }

    /** Revokes a key at once; false if there is no such key. */
    public boolean revoke(String id) {
        String hash = redis.hget(recordKey(id), "key_hash");
        if (hash == null) {
            return false;
        }
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.hset(recordKey(id), "active", "0");
            transaction.del(hashKey(hash));
            transaction.exec();
        }
        return true;
    }

    public long count() {
        return redis.scard(IDS);
    }

    private static boolean isExpired(ApiKey key, Instant now) {
        if (key.expiresAt() == null) {
            return false;
        }
        try {
            return !Instant.parse(key.expiresAt()).isAfter(now);
        } catch (DateTimeParseException corrupt) {
            return true;
        }
    }

    /** Records use, at most once a minute per key, so authentication does not write on every request. */
    private void touch(ApiKey key, Instant now) {
        if (key.lastUsed() == null || Instant.parse(key.lastUsed()).plus(TOUCH_EVERY).isBefore(now)) {
            redis.hset(recordKey(key.id()), "last_used", Timestamps.format(now));
        }
    }

    private ApiKey read(Map<String, String> fields) {
        List<String> permissions;
        try {
            permissions = Arrays.asList(json.mapper().readValue(fields.getOrDefault("permissions", "[]"), String[].class));
        } catch (IOException corrupt) {
            throw new UncheckedIOException(corrupt);
        }
        return new ApiKey(fields.get("id"), fields.get("name"), permissions, fields.get("owner"),
                "1".equals(fields.get("active")), fields.get("created_at"), fields.get("last_used"),
                fields.get("expires_at"));
    }

    private static String recordKey(String id) {
        return "hermes:apikey:" + id;
    }

    private static String hashKey(String hash) {
        return "hermes:apikey:hash:" + hash;
    }
}
