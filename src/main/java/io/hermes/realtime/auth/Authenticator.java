package io.hermes.realtime.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one seam through which every endpoint learns who is calling. Implementations throw an
 * {@link io.hermes.realtime.http.ApiException} (401/403) to refuse.
 */
public interface Authenticator {
    /** Authenticates a REST request that needs {@code permission}. */
    Caller authenticate(HttpServletRequest request, String permission);

    /** Authenticates an SSE request (which may carry {@code ?token=}) for a stream of {@code scope}. */
    Caller authenticateStream(HttpServletRequest request, String scope);
}
