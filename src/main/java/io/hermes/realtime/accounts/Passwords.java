package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
    /**
     * Hashings at once. Each costs a core for a good part of a second, so a flood of sign-ins (from many
     * addresses, which the throttle does not see as one) would take every core; beyond the gate, a request
     * waits up to {@link #gateWait} (holding its thread) and then gets a 503.
     */
    private final Semaphore gate;
    private final Duration gateWait;
    /**
     * Requests that may wait for the gate at once. Each waiting request holds a container thread, so a burst
     * of concurrent sign-ins (they all pass the throttle before the first failure is counted) must not park
     * them all: beyond this, the answer is a 503 at once.
     */
    private final Semaphore waitingRoom;
    /** Verified against when the user does not exist, so an unknown name costs as long as a wrong password. */
    private final String dummy;

    Passwords(SecureRandom random) {
        this(random, ITERATIONS, new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors())),
                Duration.ofSeconds(2));
    }

    Passwords(SecureRandom random, int iterations, Semaphore gate, Duration gateWait) {
        this.random = random;
        this.iterations = iterations;
        this.gate = gate;
        this.gateWait = gateWait;
        this.waitingRoom = new Semaphore(4 * gate.availablePermits());
        this.dummy = encode(new byte[SALT_BYTES], derive("not a password of anyone's", new byte[SALT_BYTES], iterations));
    }

    /** A new hash of {@code password} with a fresh salt. */
    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return encode(salt, gated(() -> derive(password, salt, iterations)));
    }

    private String encode(byte[] salt, byte[] hash) {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code stored}, compared in constant time. A {@code null} stored hash (no
     * such user) is checked against a dummy hash first, so the answer takes as long as for a real user.
     */
    boolean verify(String password, String stored) {
        if (stored == null) {
            gated(() -> matches(password, dummy));
            return false;
        }
        return gated(() -> matches(password, stored));
    }

    private <T> T gated(Supplier<T> work) {
        if (!waitingRoom.tryAcquire()) {
            throw busy();
        }
        try {
            if (!gate.tryAcquire(gateWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "Interrupted while waiting to check a password");
        } finally {
            waitingRoom.release();
        }
        try {
            return work.get();
        } finally {
            gate.release();
        }
    }

    private static ApiException busy() {
        return new ApiException(503, "Too many sign-ins at once; retry shortly", Map.of("Retry-After", "1"));
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
