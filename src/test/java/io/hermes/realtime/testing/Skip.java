package io.hermes.realtime.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Skips the calling test when a tool it needs is missing, saying what is missing on the console (where a
 * build's reader looks) as well as in the test report.
 */
public final class Skip {
    private Skip() {
    }

    /** Skips the calling test unless {@code present}; {@code missing} says what is missing and how to get it. */
    public static void unless(boolean present, String missing) {
        if (!present) {
            System.out.println("Skipped: " + missing);
            Assumptions.abort(missing);
        }
    }
}
