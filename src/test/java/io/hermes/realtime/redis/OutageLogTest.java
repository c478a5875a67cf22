package io.hermes.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class OutageLogTest {
    /** Keeps what would be logged at INFO and above, formatted. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            record(level, message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            record(level, params == null ? format : MessageFormat.format(format, params));
        }

        private void record(Level level, String text) {
            if (level.getSeverity() >= Level.INFO.getSeverity()) {
                lines.add(level + " " + text);
            }
        }
    }

    private final RecordingLogger logger = new RecordingLogger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final OutageLog outage = new OutageLog(logger, "Redis gone", "Redis back", now::get);

    @Test
    void anOutageIsOneWarningAndOneInfoLineWhateverTheNumberOfRetries() {
        assertFalse(outage.recovered("nothing to end"), "no outage yet");
        assertTrue(outage.failed(new JedisConnectionException("Connection refused"), "retrying"));
        for (int retry = 0; retry < 50; retry++) {
            now.addAndGet(100_000_000L);
            assertFalse(outage.failed(new JedisConnectionException("Connection refused"), "retrying"));
        }
        assertTrue(outage.isDown());
        assertTrue(outage.recovered("caught up 3 events"));
        assertFalse(outage.recovered("caught up 0 events"), "ended once");

        assertEquals(List.of(
                "WARNING Redis gone (JedisConnectionException: Connection refused); retrying",
                "INFO Redis back after 5.0 s (51 failed attempts); caught up 3 events"), logger.lines);
    }

    @Test
    void theDescriptionCarriesTheCauseButNoStackTrace() {
        Supplier<String> text = () -> OutageLog.describe(new JedisConnectionException("Failed to connect",
                new java.net.ConnectException("Connection refused")));
        assertEquals("JedisConnectionException: Failed to connect (Connection refused)", text.get());
    }
}
