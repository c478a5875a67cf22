package io.hermes.realtime.accounts;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2-HMAC-SHA256 from the JDK, stored as {@code pbkdf2-sha256$ITERATIONS$SALT$HASH}
 * (salt and hash in Base64), so the work factor can be raised later without breaking stored hashes: each
 * hash is verified with the iterations written in it. 600,000 iterations is OWASP's figure for this PRF.
 */
final class Passwords {
    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** Beyond this, a stored hash is refused rather than letting a corrupt record cost minutes of CPU. */
    private static final int MAX_ITERATIONS = 10_000_000;

    private final SecureRandom random;
    private final int iterations;
    /** Verified against when the user does not exist, so an unknown name costs as long as a wrong password. */
    private final String dummy;

    Passwords(SecureRandom random) {
        this(random, ITERATIONS);
    }

    Passwords(SecureRandom random, int iterations) {
        this.random = random;
        this.iterations = iterations;
        this.dummy = hash("not a password of anyone's");
    }

    /** A new hash of {@code password} with a fresh salt. */
    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * Whether {@code password} matches {@code stored}, compared in constant time. A {@code null} stored hash (no
     * such user) is checked against a dummy hash first, so the answer takes as long as for a real user.
     */
    boolean verify(String password, String stored) {
        if (stored == null) {
            matches(password, dummy);
            return false;
        }
        return matches(password, stored);
    }

    private static boolean matches(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            int rounds = Integer.parseInt(parts[1]);
            if (rounds < 1 || rounds > MAX_ITERATIONS) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, rounds));
        } catch (IllegalArgumentException corrupt) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int rounds) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by the JDK", missing);
        } finally {
            spec.clearPassword();
        }
    }
}
