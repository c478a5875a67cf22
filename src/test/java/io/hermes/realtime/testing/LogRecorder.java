package io.hermes.realtime.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what the server logs at INFO and above under {@code io.hermes.realtime} (System.Logger goes to
 * java.util.logging), so a test can count log lines: one per outage, not one per retry.
 */
public final class LogRecorder implements AutoCloseable {
    /** One formatted log line. */
    public record Line(Level level, String logger, String message) {
    }

    private final Logger root = Logger.getLogger("io.hermes.realtime"); // held: JUL keeps loggers weakly
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                lines.add(new Line(record.getLevel(), record.getLoggerName(), formatter.formatMessage(record)));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogRecorder() {
        root.addHandler(handler);
    }

    /** Lines logged by the class {@code simpleName} (any package below io.hermes.realtime) at {@code level}. */
    public List<String> lines(String simpleName, Level level) {
        return lines(simpleName, level, "");
    }

    /** The same, only those that start with {@code prefix}. */
    public List<String> lines(String simpleName, Level level, String prefix) {
        return lines.stream()
                .filter(line -> line.level().equals(level) && line.logger().endsWith("." + simpleName))
                .map(Line::message)
                .filter(message -> message.startsWith(prefix))
                .toList();
    }

    @Override
    public void close() {
        root.removeHandler(handler);
    }
}
