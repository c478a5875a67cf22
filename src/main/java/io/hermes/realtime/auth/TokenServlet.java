package io.hermes.realtime.auth;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /events/token}: a short-lived token for one stream, for browsers that cannot send headers. A
 * {@code download:ID} token needs a download the caller can see, told by {@code ownerOf} (the downloads
 * feature's answer: the owner of an existing download, empty for none); a {@code session:ID} token, a task session
 * the caller can see, told by {@code sessionOwnerOf}.
 */
final class TokenServlet extends ApiServlet {
    /** The contract's channel scopes, plus {@code events} (ours): every stream the key could open itself. */
    static final Set<String> CHANNEL_SCOPES = Set.of("queue", "stats", "system", "storage", "events");
    static final String DOWNLOAD_SCOPE = "download:";
    /** A task session's stream (contract section 8); the session must be the caller's. */
    static final String SESSION_SCOPE = "session:";

    private final transient TokenStore tokens;
    private final transient Authenticator authenticator;
    private final transient Function<String, Optional<String>> ownerOf;
    private final transient Function<String, Optional<String>> sessionOwnerOf;

    TokenServlet(Json json, TokenStore tokens, Authenticator authenticator,
            Function<String, Optional<String>> ownerOf, Function<String, Optional<String>> sessionOwnerOf,
            BodyReader bodies) {
        super(json, bodies);
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.ownerOf = ownerOf;
        this.sessionOwnerOf = sessionOwnerOf;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        RequestBody body = RequestBody.read(json, request);
        String scope = body.string("scope", 1, 100);
        int ttl = body.integer("ttl", 60, 3600, 300);
        if (scope.startsWith(DOWNLOAD_SCOPE)) {
            if (!ownerOf.apply(scope.substring(DOWNLOAD_SCOPE.length())).map(caller::canSee).orElse(false)) {
                throw ApiException.notFound("Download not found");
            }
        } else if (scope.startsWith(SESSION_SCOPE)) {
            if (!sessionOwnerOf.apply(scope.substring(SESSION_SCOPE.length())).map(caller::canSee).orElse(false)) {
                throw ApiException.notFound("Session not found");
            }
        } else if (!CHANNEL_SCOPES.contains(scope)) {
            throw new ApiException(400,
                    "Invalid scope: use queue, stats, system, storage, events, download:ID or session:ID");
        }
        Map.Entry<String, SseToken> issued = tokens.issue(scope, ttl, caller);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("token", issued.getKey());
        view.put("expiresAt", Timestamps.format(issued.getValue().expiresAt()));
        view.put("scope", scope);
        view.put("permissions", issued.getValue().permissions());
        view.put("ttl", ttl);
        respond(response, 200, view);
    }
}
