package io.hermes.realtime.auth;

import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds authentication: stored API keys, SSE tokens and the {@link Authenticator} every endpoint asks.
 * Creates the first admin key when no key exists at all, and registers {@code /auth/api-keys} and
 * {@code /events/token}.
 */
public final class AuthModule {
    private final Authenticator authenticator;
    private final Credentials credentials;
    private final ApiKeyStore apiKeys;

    private AuthModule(Authenticator authenticator, Credentials credentials, ApiKeyStore apiKeys) {
        this.authenticator = authenticator;
        this.credentials = credentials;
        this.apiKeys = apiKeys;
    }

    /**
     * @param adminKeys         the plain admin keys of {@code HERMES_API_KEYS}, which no store holds
     * @param revocationChannel where revoking a key PUBLISHes its credential id, in the same MULTI
     * @param ownerOf           the owner of an existing download, empty for none: a {@code download:ID} token
     *                          is only issued for a download the caller can see
     * @param taskSessionOwnerOf the owner of an existing task session (contract section 8), empty for none: a
     *                          {@code session:ID} token is only issued for a task session the caller can see
     * @param sessions          the sign-in sessions (the accounts feature's answers), so that a Bearer access
     *                          token is taken wherever a key is
     */
    public static AuthModule register(ServletRegistrar servlets, UnifiedJedis redis, Json json, Clock clock,
            BodyReader bodies, List<String> adminKeys, String revocationChannel,
            Function<String, Optional<String>> ownerOf, Function<String, Optional<String>> taskSessionOwnerOf,
            Sessions sessions) {
        Secrets secrets = new Secrets(new SecureRandom());
        ApiKeyStore apiKeys = new ApiKeyStore(redis, secrets, json, clock, revocationChannel);
        Credentials credentials = new Credentials(apiKeys, sessions.endedAmong());
        TokenStore tokens = new TokenStore(redis, secrets, json, clock, credentials);
        Authenticator authenticator = new KeyAuthenticator(apiKeys, tokens, adminKeys, sessions.callerOf());
        AdminKeyBootstrap.ensureAdminKey(redis, apiKeys, adminKeys);
        servlets.add("events-token", new TokenServlet(json, tokens, authenticator, ownerOf, taskSessionOwnerOf,
                bodies), "/events/token");
        servlets.add("api-keys", new ApiKeysServlet(json, apiKeys, authenticator, clock, bodies), "/auth/api-keys/*");
        return new AuthModule(authenticator, credentials, apiKeys);
    }

    /**
     * What authentication asks of sign-in sessions, which another feature keeps.
     *
     * @param callerOf  the caller a live access token stands for, empty for anything else
     * @param endedAmong the session ids among those given whose session is over (ended, or expired)
     */
    public record Sessions(Function<String, Optional<Caller>> callerOf,
            Function<Collection<String>, Set<String>> endedAmong) {
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /**
     * Revokes every active key of {@code owner} (a user disabled or deleted), each announced so its streams
     * end on every instance; returns how many.
     */
    public int revokeKeysOwnedBy(String owner) {
        int revoked = 0;
        for (ApiKey key : apiKeys.list()) {
            if (key.active() && owner.equals(key.owner()) && apiKeys.revoke(key.id())) {
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * The credential ids among {@code ids} that are revoked (one read per kind): what ends the streams
     * opened with them, on every instance.
     */
    public Set<String> revokedAmong(Collection<String> ids) {
        return credentials.revokedAmong(ids);
    }
}
