package io.hermes.realtime.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 for the request path: API-key hashes and ETags. Each call clones a digest that is never used
 * itself, which skips the provider lookup {@code MessageDigest.getInstance} makes on every call.
 */
public final class Sha256 {
    /** Only ever cloned, never updated, so sharing it between threads is safe. */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
    }

    public static byte[] digest(byte[] input) {
        return fresh().digest(input);
    }

    private static MessageDigest fresh() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException notCloneable) { // a provider may not support it; the JDK's does
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is required by the JVM specification", missing);
        }
    }
}
