package io.hermes.realtime.auth;

import java.time.Instant;

/**
 * What an SSE request was admitted with.
 *
 * @param caller    who is streaming
 * @param scope     the SSE token's scope ({@code queue}, {@code download:ID} …), or {@code null} when a
 *                  Bearer key was used
 * @param expiresAt when the token expires and the stream must end, or {@code null}
 */
public record StreamGrant(Caller caller, String scope, Instant expiresAt) {
}
