package io.hermes.realtime.auth;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * API keys in Redis, read on every request so that creation, expiry and revocation hold at once on
 * every instance.
 *
 * <p>Keys: {@code hermes:apikey:{id}} (a hash of the key's fields, with the SHA-256 of the key),
 * {@code hermes:apikey:hash:{sha256}} → id (the lookup index; revocation deletes it) and the set
 * {@code hermes:apikeys} of ids. Revoking a key also PUBLISHes its credential id on the revocation
 * channel, in the same transaction, so every instance hears of each revocation that took effect.
 */
final class ApiKeyStore {
    private static final String IDS = "hermes:apikeys";
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(60);

    private final UnifiedJedis redis;
    private final Secrets secrets;
    private final Json json;
    private final Clock clock;
    private final String revocationChannel;

    /** {@code revocationChannel}: the pub/sub channel on which every instance listens for revoked credentials. */
    ApiKeyStore(UnifiedJedis redis, Secrets secrets, Json json, Clock clock, String revocationChannel) {
        this.redis = redis;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
        this.revocationChannel = revocationChannel;
    }

    /** A new key and the secret to show once. */
    record Created(ApiKey key, String secret) {
    }

    Created create(String name, List<String> permissions, String owner, String expiresAt) {
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

    /** The owner of a stored key, revoked or not; empty when there is no such key. */
    Optional<String> ownerOf(String id) {
        return Optional.ofNullable(redis.hget(recordKey(id), "owner"));
    }

    List<ApiKey> list() {
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

    /**
     * Revokes a key at once and announces it to every instance, which end the streams opened with it; false
     * if there is no such key. The announcement is part of the transaction: a revocation that took effect is
     * always announced, and no instance hears of one that did not.
     */
    boolean revoke(String id) {
        String hash = redis.hget(recordKey(id), "key_hash");
        if (hash == null) {
            return false;
        }
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.hset(recordKey(id), "active", "0");
            transaction.del(hashKey(hash));
            transaction.publish(revocationChannel, Credentials.ofApiKey(id));
            transaction.exec();
        }
        return true;
    }

    /**
     * The ids among {@code ids} whose key is revoked, or unknown (its record gone, as when Redis lost its
     * data), in one round trip. Expiry is not revocation: it is checked where a key is used.
     */
    Set<String> revokedAmong(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Map<String, Response<String>> states = new HashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : ids) {
                states.put(id, pipeline.hget(recordKey(id), "active"));
            }
            pipeline.sync();
        }
        Set<String> revoked = new HashSet<>();
        states.forEach((id, state) -> {
            if (!"1".equals(state.get())) {
                revoked.add(id);
            }
        });
        return revoked;
    }

    long count() {
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
