package io.hermes.realtime.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * SSE tokens at {@code sse:token:TOKEN} (contract section 2), with the ttl as the key's expiry. The value
 * holds the contract's fields plus ours: {@code admin}, whether the key that asked for it was an admin key,
 * and {@code credential}, the id of that key's credential, so that the token dies with it.
 */
final class TokenStore {
    private final UnifiedJedis redis;
    private final Secrets secrets;
    private final Json json;
    private final Clock clock;
    private final Credentials credentials;

    TokenStore(UnifiedJedis redis, Secrets secrets, Json json, Clock clock, Credentials credentials) {
        this.redis = redis;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
        this.credentials = credentials;
    }

    /** Issues a token for {@code scope}, valid for {@code ttlSeconds}. Returns the token and its record. */
    Map.Entry<String, SseToken> issue(String scope, int ttlSeconds, Caller caller) {
        String token = secrets.newToken();
        Instant now = clock.instant();
        SseToken record = new SseToken(scope, caller.owner(), caller.isAdmin(), now.plusSeconds(ttlSeconds),
                List.of("read"), Timestamps.format(now), caller.credential());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("scope", scope);
        value.put("user_id", record.owner());
        value.put("expires_at", Timestamps.format(record.expiresAt()));
        value.put("permissions", record.permissions());
        value.put("created_at", record.createdAt());
        value.put("admin", record.admin());
        value.put("credential", record.credential());
        redis.setex(key(token), ttlSeconds, json.write(value));
        return Map.entry(token, record);
    }

    /**
     * The unexpired token, if it exists and the credential it was obtained with is not revoked (one more
     * Redis read). A token without {@code credential} came from a key that cannot be revoked, or from an
     * older instance.
     */
    Optional<SseToken> find(String token) {
        if (!Secrets.looksLikeToken(token)) {
            return Optional.empty();
        }
        String stored = redis.get(key(token));
        if (stored == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.mapper().readTree(stored);
            Instant expiresAt = Instant.parse(node.path("expires_at").asText());
            if (!expiresAt.isAfter(clock.instant())) {
                return Optional.empty();
            }
            List<String> permissions = json.mapper().convertValue(node.path("permissions"),
                    json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
            String credential = node.path("credential").textValue();
            if (credential != null && credentials.isRevoked(credential)) {
                return Optional.empty();
            }
            return Optional.of(new SseToken(node.path("scope").asText(), node.path("user_id").asText(),
                    node.path("admin").asBoolean(false), expiresAt, permissions, node.path("created_at").asText(),
                    credential));
        } catch (IOException | DateTimeParseException | IllegalArgumentException corrupt) {
            return Optional.empty();
        }
    }

    private static String key(String token) {
        return "sse:token:" + token;
    }
}
