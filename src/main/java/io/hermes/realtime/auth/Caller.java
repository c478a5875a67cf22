package io.hermes.realtime.auth;

import java.util.Set;

/**
 * Who is making a request: the owner their key belongs to, what it may do, and the credential it showed.
 *
 * @param owner       the owner downloads are filed under
 * @param permissions {@code read}, {@code write}, {@code download}, {@code delete}, {@code publish}, {@code admin}
 * @param credential  the id of the revocable credential behind the request (see {@link Credentials}), which
 *                    streams and SSE tokens remember so that revoking it ends them too; {@code null} for one
 *                    that cannot be revoked (the admin keys of {@code HERMES_API_KEYS})
 */
public record Caller(String owner, Set<String> permissions, String credential) {
    /**
     * {@code delete} is what the upstream web app's key form offers; it allows the DELETE endpoints, as
     * {@code write} does, and nothing else. {@code publish} (contract section 8) is a worker's: it posts task
     * session statuses and publishes events over HTTP, and implies no other permission, so a worker key reads
     * nobody's data.
     */
    public static final Set<String> PERMISSIONS = Set.of("read", "write", "download", "delete", "publish", "admin");
    /** The prefix of a sign-in session's credential id, {@code session:ID}. */
    public static final String SESSION = "session:";

    public Caller {
        permissions = Set.copyOf(permissions);
    }

    /** A caller whose credential cannot be revoked. */
    public Caller(String owner, Set<String> permissions) {
        this(owner, permissions, null);
    }

    /** Whether this caller signed in (an access token of a session), rather than showing an API key. */
    public boolean signedIn() {
        return credential != null && credential.startsWith(SESSION);
    }

    public boolean isAdmin() {
        return permissions.contains("admin");
    }

    /** Admin satisfies every permission; {@code write} satisfies {@code delete} too. */
    public boolean may(String permission) {
        return isAdmin() || permissions.contains(permission)
                || (permission.equals("delete") && permissions.contains("write"))
                // Fetching a downloaded file: upstream asks for "download", and reading did it here first.
                || (permission.equals("download") && permissions.contains("read"));
    }

    /** The owner whose downloads alone this caller may see, or {@code null} when it sees all (admin). */
    public String ownerFilter() {
        return isAdmin() ? null : owner;
    }

    /** Whether this caller may see a download that belongs to {@code downloadOwner}. */
    public boolean canSee(String downloadOwner) {
        return isAdmin() || owner.equals(downloadOwner);
    }
}
