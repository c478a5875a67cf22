package io.hermes.realtime.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Lets a request that shows no credential at all read, as an anonymous caller: for the NotifyHub feed when
 * {@code HERMES_PUBLIC_NOTIFICATIONS} is on (contract section 9), whose page sends no key. A request that
 * shows a key or a token is authenticated as usual, so a wrong one is still refused (401), and anything but
 * reading needs a credential.
 *
 * <p>The anonymous caller has only {@code read}, owns nothing and is no admin; on a stream it stands for an
 * SSE token of scope {@code system}, so it opens only streams of the notification channel and asks for no
 * views. Use it only for endpoints that show what every reader may see.
 */
public final class AnonymousReaders implements Authenticator {
    /** The owner the anonymous caller is filed under: no download, key or session has it. */
    static final String OWNER = "(anonymous)";
    private static final Caller ANONYMOUS = new Caller(OWNER, Set.of("read"));
    private static final String SCOPE = "system";

    private final Authenticator credentials;

    private AnonymousReaders(Authenticator credentials) {
        this.credentials = credentials;
    }

    /** {@code credentials}, reading allowed without any. */
    public static Authenticator around(Authenticator credentials) {
        return new AnonymousReaders(credentials);
    }

    @Override
    public Caller authenticate(HttpServletRequest request, String permission) {
        if (permission.equals("read") && showsNoCredential(request)) {
            return ANONYMOUS;
        }
        return credentials.authenticate(request, permission);
    }

    @Override
    public StreamGrant authenticateStream(HttpServletRequest request) {
        if (showsNoCredential(request)) {
            return new StreamGrant(ANONYMOUS, SCOPE, null);
        }
        return credentials.authenticateStream(request);
    }

    private static boolean showsNoCredential(HttpServletRequest request) {
        String token = request.getParameter("token");
        return request.getHeader("Authorization") == null && (token == null || token.isEmpty());
    }
}
