package io.hermes.realtime.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.Timestamps;
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
 * holds the contract's fields plus {@code admin}, whether the key that asked for it was an admin key.
 */
public final class TokenStore {
    private final UnifiedJedis redis;
    private final Secrets secrets;
    private final Json json;
    private final Clock clock;

    public TokenStore(UnifiedJedis redis, Secrets secrets, Json json, Clock clock) {
        this.redis = redis;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
    }

    /** Issues a token for {@code scope}, valid for {@code ttlSeconds}. Returns the token and its record. */
    public Map.Entry<String, SseToken> issue(String scope, int ttlSeconds, Caller caller) {
        String token = secrets.newToken();
        Instant now = clock.instant();
        SseToken record = new SseToken(scope, caller.owner(), caller.isAdmin(), now.plusSeconds(ttlSeconds),
                List.of("read"), Timestamps.format(now));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("scope", scope);
        value.put("user_id", record.owner());
        value.put("expires_at", Timestamps.format(record.expiresAt()));
        value.put("permissions", record.permissions());
        value.put("created_at", record.createdAt());
        value.put("admin", record.admin());
        redis.setex(key(token), ttlSeconds, json.write(value));
        return Map.entry(token, record);
    }

    /** The unexpired token, if it exists. */
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
            return Optional.of(new SseToken(node.path("scope").asText(), node.path("user_id").asText(),
                    node.path("admin").asBoolean(false), expiresAt, permissions, node.path("created_at").asText()));
        } catch (IOException | DateTimeParseException | IllegalArgumentException corrupt) {
            return Optional.empty();
        }
    }

    private static String key(String token) {
        return "sse:token:" + token;
    }
}
