package io.hermes.realtime.auth;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.PathSegments;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /auth/api-keys}: create (the key is shown once), list and revoke keys. An admin manages every key;
 * a signed-in user manages keys of its own (owner: the user), which never get a permission the user lacks,
 * and sees others' keys as absent (404). Other API keys may do none of it.
 */
final class ApiKeysServlet extends ApiServlet {
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.@-]{1,100}");
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    private final transient ApiKeyStore keys;
    private final transient Authenticator authenticator;
    private final transient Clock clock;

    ApiKeysServlet(Json json, ApiKeyStore keys, Authenticator authenticator, Clock clock, BodyReader bodies) {
        super(json, bodies);
        this.keys = keys;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = manager(request);
        requireCollection(request);
        RequestBody body = RequestBody.read(json, request);
        String name = body.string("name", 1, 100);
        List<String> permissions = body.stringList("permissions", Caller.PERMISSIONS, List.of("read"));
        Instant expiresAt = body.instant("expiresAt");
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw ApiException.invalid("Field 'expiresAt' must be in the future");
        }
        String owner = body.matching("owner", OWNER, "1 to 100 letters, digits or . _ @ -", caller.owner());
        if (!caller.isAdmin()) {
            if (!owner.equals(caller.owner())) {
                throw new ApiException(403, "Permission denied: only an admin creates keys for another owner");
            }
            for (String permission : permissions) {
                if (!caller.may(permission)) {
                    throw new ApiException(403, "Permission denied: a key cannot get " + permission
                            + ", which its creator lacks");
                }
            }
        }
        ApiKeyStore.Created created = keys.create(name, permissions, owner,
                expiresAt == null ? null : Timestamps.format(expiresAt));
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("id", created.key().id());
        view.put("name", created.key().name());
        view.put("key", created.secret());
        created.key().view().forEach(view::putIfAbsent);
        respond(response, 201, view);
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = manager(request);
        requireCollection(request);
        respond(response, 200, keys.list().stream().filter(key -> caller.canSee(key.owner())).map(ApiKey::view).toList());
    }

    @Override
    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = manager(request);
        String id = itemId(request);
        if (id == null || !ID.matcher(id).matches() || !keys.ownerOf(id).map(caller::canSee).orElse(false)
                || !keys.revoke(id)) {
            throw ApiException.notFound("API key not found");
        }
        respond(response, 200, Map.of("message", "API key revoked successfully"));
    }

    /**
     * An admin, or a signed-in user (who manages only keys of its own); any other caller gets the admin
     * check's 403. Only callers that are not admins are authenticated twice.
     */
    private Caller manager(HttpServletRequest request) {
        try {
            return authenticator.authenticate(request, "admin");
        } catch (ApiException notAdmin) {
            if (notAdmin.status() == 403) {
                Caller caller = authenticator.authenticate(request, "read");
                if (caller.signedIn()) {
                    return caller;
                }
            }
            throw notAdmin;
        }
    }

    private static void requireCollection(HttpServletRequest request) {
        if (itemId(request) != null) {
            throw ApiException.methodNotAllowed("DELETE, OPTIONS"); // a key itself can only be revoked
        }
    }

    /** The {@code {id}} of {@code /auth/api-keys/{id}}, or null for the collection itself. */
    private static String itemId(HttpServletRequest request) {
        List<String> segments = PathSegments.of(request);
        return segments.isEmpty() ? null : String.join("/", segments);
    }
}
