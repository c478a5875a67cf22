package io.hermes.realtime.auth;

import java.time.Instant;
import java.util.List;

/**
 * A short-lived credential for one stream scope, as stored at {@code sse:token:TOKEN}.
 *
 * @param credential the credential it was obtained with (see {@link Caller#credential}), or {@code null}
 */
record SseToken(String scope, String owner, boolean admin, Instant expiresAt, List<String> permissions,
        String createdAt, String credential) {

    Caller caller() {
        java.util.Set<String> granted = new java.util.HashSet<>(permissions);
        if (admin) {
            granted.add("admin"); // the stream sees every owner's downloads, as its creator does
        }
        return new Caller(owner, granted, credential);
    }
}
