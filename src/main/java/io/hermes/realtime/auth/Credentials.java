package io.hermes.realtime.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tells whether credentials are revoked, by their id: {@code apikey:ID} for a stored API key,
 * {@code session:ID} for a sign-in session (asked of the accounts feature through a function). Streams and
 * SSE tokens keep the id of the credential they were opened or obtained with, so revoking it ends them too.
 */
final class Credentials {
    private static final String API_KEY = "apikey:";
    private static final String SESSION = Caller.SESSION;

    private final ApiKeyStore keys;
    private final Function<Collection<String>, Set<String>> endedSessions;

    /** {@code endedSessions}: the session ids among those given whose session is over. */
    Credentials(ApiKeyStore keys, Function<Collection<String>, Set<String>> endedSessions) {
        this.keys = keys;
        this.endedSessions = endedSessions;
    }

    static String ofApiKey(String id) {
        return API_KEY + id;
    }

    /** Whether {@code credential} is revoked; see {@link #revokedAmong}. */
    boolean isRevoked(String credential) {
        return !revokedAmong(List.of(credential)).isEmpty();
    }

    /**
     * The credentials among {@code credentials} that are revoked, in one round trip per kind. An id of a kind
     * this instance does not know is counted as revoked: nothing here can vouch for it.
     */
    Set<String> revokedAmong(Collection<String> credentials) {
        Map<String, String> byKeyId = new HashMap<>();
        Map<String, String> bySessionId = new HashMap<>();
        Set<String> revoked = new HashSet<>();
        for (String credential : credentials) {
            if (credential.startsWith(API_KEY)) {
                byKeyId.put(credential.substring(API_KEY.length()), credential);
            } else if (credential.startsWith(SESSION)) {
                bySessionId.put(credential.substring(SESSION.length()), credential);
            } else {
                revoked.add(credential);
            }
        }
        for (String keyId : keys.revokedAmong(byKeyId.keySet())) {
            revoked.add(byKeyId.get(keyId));
        }
        if (!bySessionId.isEmpty()) {
            for (String sessionId : endedSessions.apply(bySessionId.keySet())) {
                revoked.add(bySessionId.get(sessionId));
            }
        }
        return revoked;
    }
}
