package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.testing.LogRecorder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class ThrottledWarningTest {
    private static final System.Logger LOG = System.getLogger("io.hermes.realtime.bus.ThrottledWarningTest");

    @Test
    void aFloodOfMalformedMessagesLogsOneWarningPerIntervalWithACount() {
        try (LogRecorder log = new LogRecorder()) {
            AtomicLong now = new AtomicLong(1_000);
            ThrottledWarning warning = new ThrottledWarning(LOG, 60, TimeUnit.SECONDS, now::get);

            for (int i = 0; i < 1000; i++) {
                warning.warn("Skipping malformed message on {0}: {1}", "queue:updates", "not JSON");
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertEquals(1, warnings(log).size(), "10 s of malformed messages: one warning");

            now.addAndGet(TimeUnit.SECONDS.toNanos(60));
            warning.warn("Skipping malformed message on {0}: {1}", "queue:updates", "not JSON");
            List<String> warnings = warnings(log);
            assertEquals(2, warnings.size());
            assertTrue(warnings.get(1).startsWith("Skipping malformed message on queue:updates: not JSON (and 999 more"),
                    warnings.get(1));
        }
    }

    private static List<String> warnings(LogRecorder log) {
        return log.lines("ThrottledWarningTest", Level.WARNING);
    }
}
