package io.hermes.realtime.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one seam through which every endpoint learns who is calling. Implementations throw an
 * {@link io.hermes.realtime.http.ApiException}: 401 for a missing, unknown or expired credential, 403 for
 * one that lacks the permission.
 */
public interface Authenticator {
    /** Authenticates a REST request that needs {@code permission}. */
    Caller authenticate(HttpServletRequest request, String permission);

    /** Authenticates an SSE request, by {@code ?token=} or by a Bearer key with {@code read}. */
    StreamGrant authenticateStream(HttpServletRequest request);
}
