package io.hermes.realtime.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.http.ApiException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords(new SecureRandom());

    @Test
    void aHashNamesItsSchemeIterationsSaltAndHash() {
        String[] parts = passwords.hash("correct horse").split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("600000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length, "a 16-byte salt");
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length, "a 256-bit hash");
    }

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        String stored = passwords.hash("correct horse");
        assertTrue(passwords.verify("correct horse", stored));
        assertFalse(passwords.verify("correct horsf", stored));
        assertFalse(passwords.verify("", stored));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertNotEquals(passwords.hash("same"), passwords.hash("same"));
    }

    @Test
    void aHashIsVerifiedWithTheIterationsWrittenInIt() {
        String cheaper = new Passwords(new SecureRandom(), 1_000, new Semaphore(1), Duration.ofSeconds(1)).hash("older hash");
        assertTrue(cheaper.startsWith("pbkdf2-sha256$1000$"));
        assertTrue(passwords.verify("older hash", cheaper), "raising the work factor keeps old hashes valid");
    }

    @Test
    void anUnknownUserNeverVerifiesYetCostsAVerification() {
        long started = System.nanoTime();
        assertFalse(passwords.verify("anything", null));
        long unknownNanos = System.nanoTime() - started;
        String stored = passwords.hash("something");
        started = System.nanoTime();
        assertFalse(passwords.verify("anything", stored));
        long wrongNanos = System.nanoTime() - started;
        // Both run one full PBKDF2; a generous bound, since the machine may be busy.
        assertTrue(unknownNanos > wrongNanos / 4, "unknown " + unknownNanos + " ns, wrong password " + wrongNanos + " ns");
    }

    @Test
    void beyondTheGateAHashingWaitsThenAnswers503() throws InterruptedException {
        Semaphore gate = new Semaphore(1);
        Passwords gated = new Passwords(new SecureRandom(), 1_000, gate, Duration.ofMillis(50));
        String stored = gated.hash("pass-word");
        gate.acquire(); // another sign-in is hashing
        ApiException busy = assertThrows(ApiException.class, () -> gated.verify("pass-word", stored));
        assertEquals(503, busy.status());
        assertEquals("1", busy.headers().get("Retry-After"));
        gate.release();
        assertTrue(gated.verify("pass-word", stored));
        assertEquals(1, gate.availablePermits(), "every hashing gives its place back");
    }

    @Test
    void corruptOrForeignHashesNeverVerify() {
        for (String stored : new String[] {"", "plain", "bcrypt$x$y$z", "pbkdf2-sha256$abc$AAAA$AAAA",
                "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$99999999$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA"}) {
            assertFalse(passwords.verify("password", stored), stored);
        }
    }
}
