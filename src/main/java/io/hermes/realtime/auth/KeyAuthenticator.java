package io.hermes.realtime.auth;

import io.hermes.realtime.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Authenticates by {@code Authorization: Bearer KEY} against the keys in Redis, the admin keys of
 * {@code HERMES_API_KEYS} and the access tokens of sign-in sessions (one path for all three: an endpoint
 * never knows which it got), and SSE requests by {@code ?token=} as well. A request with several
 * {@code Authorization} headers is refused (400) before anything else: which of them counts would depend
 * on the container, or on a proxy in front of it.
 */
final class KeyAuthenticator implements Authenticator {
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer");

    private final ApiKeyStore keys;
    private final TokenStore tokens;
    private final Set<String> adminKeyHashes;
    private final Function<String, Optional<Caller>> sessionCallers;

    /**
     * {@code adminKeys} are the plain keys from {@code HERMES_API_KEYS}; only their hashes are kept.
     * {@code sessionCallers} tells the caller behind a sign-in access token.
     */
    KeyAuthenticator(ApiKeyStore keys, TokenStore tokens, java.util.Collection<String> adminKeys,
            Function<String, Optional<Caller>> sessionCallers) {
        this.keys = keys;
        this.tokens = tokens;
        this.sessionCallers = sessionCallers;
        this.adminKeyHashes = adminKeys.stream().map(Secrets::hash).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public Caller authenticate(HttpServletRequest request, String permission) {
        return permitted(bearer(authorization(request)), permission);
    }

    @Override
    public StreamGrant authenticateStream(HttpServletRequest request) {
        String header = authorization(request);
        String token = request.getParameter("token");
        if (token == null || token.isEmpty()) {
            return new StreamGrant(permitted(bearer(header), "read"), null, null);
        }
        SseToken found = tokens.find(token)
                .orElseThrow(() -> new ApiException(401, "Invalid or expired token", CHALLENGE));
        return new StreamGrant(found.caller(), found.scope(), found.expiresAt());
    }

    private static Caller permitted(Caller caller, String permission) {
        if (!caller.may(permission)) {
            throw new ApiException(403, "Permission denied: " + permission + " required");
        }
        return caller;
    }

    /** The request's one {@code Authorization} header, or {@code null} when it has none. */
    private static String authorization(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders("Authorization");
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        String header = headers.nextElement();
        if (headers.hasMoreElements()) {
            throw new ApiException(400, "Send one Authorization header, not several");
        }
        return header;
    }

    private Caller bearer(String header) {
        if (header == null || header.isBlank()) {
            throw new ApiException(401, "Not authenticated: send Authorization: Bearer <API key>", CHALLENGE);
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "Unsupported authorization scheme: use Bearer", CHALLENGE);
        }
        String secret = header.substring(7).trim();
        String hash = Secrets.hash(secret);
        for (String admin : adminKeyHashes) {
            if (Secrets.sameHash(admin, hash)) {
                return new Caller("admin", Set.of("admin")); // configured, so not revocable
            }
        }
        if (!Secrets.looksLikeApiKey(secret)) {
            return sessionCallers.apply(secret)
                    .orElseThrow(() -> new ApiException(401, "Invalid, expired or revoked API key or access token",
                            CHALLENGE));
        }
        Optional<ApiKey> key = keys.findBySecret(secret);
        return key.map(ApiKey::caller)
                .orElseThrow(() -> new ApiException(401, "Invalid, expired or revoked API key", CHALLENGE));
    }
}
