package io.hermes.realtime.auth;

import io.hermes.realtime.http.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes and recognises secrets: API keys ({@code hk_…}) and SSE tokens ({@code sse_…}), each 32 random
 * bytes in URL-safe Base64, and their SHA-256 hashes, which are all we store of API keys.
 */
final class Secrets {
    static final String KEY_PREFIX = "hk_";
    static final String TOKEN_PREFIX = "sse_";
    private static final Pattern KEY = Pattern.compile("hk_[A-Za-z0-9_-]{43}");
    private static final Pattern TOKEN = Pattern.compile("sse_[A-Za-z0-9_-]{43}");

    private final SecureRandom random;

    Secrets(SecureRandom random) {
        this.random = random;
    }

    String newApiKey() {
        return KEY_PREFIX + randomPart();
    }

    String newToken() {
        return TOKEN_PREFIX + randomPart();
    }

    private String randomPart() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code text} has the form of one of our API keys; anything else is not looked up. */
    static boolean looksLikeApiKey(String text) {
        return text != null && KEY.matcher(text).matches();
    }

    static boolean looksLikeToken(String text) {
        return text != null && TOKEN.matcher(text).matches();
    }

    /** SHA-256 of the secret, hex encoded. */
    static String hash(String secret) {
        byte[] digest = Sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    /** Compares two hashes in time independent of where they differ. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** A prefix short enough to log without revealing the secret. */
    static String redact(String secret) {
        if (secret == null) {
            return "none";
        }
        int visible = Math.min(secret.length(), secret.startsWith(TOKEN_PREFIX) ? 8 : 7);
        return secret.substring(0, visible) + "…";
    }
}
