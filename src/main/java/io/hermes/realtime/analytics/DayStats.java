package io.hermes.realtime.analytics;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * One UTC day's counters of terminal downloads, parsed from the hash {@code hermes:stats:…:{YYYY-MM-DD}}.
 * A missing hash or field reads as zero; a value that is not a number is ignored rather than failing the
 * whole report.
 *
 * @param bytes      sum of the file sizes of completed downloads
 * @param durationMs sum of the transfer times of completed downloads
 * @param extractors terminal downloads per extractor ({@code extractor:{name}})
 * @param errors     failures per error type ({@code error:{type}})
 * @param hours      downloads per UTC hour of completion, 0..23 ({@code hour:{HH}})
 */
record DayStats(LocalDate date, long total, long completed, long failed, long cancelled, long bytes, long durationMs,
        Map<String, Long> extractors, Map<String, Long> errors, Map<Integer, Long> hours) {

    private static final String EXTRACTOR = "extractor:";
    private static final String ERROR = "error:";
    private static final String HOUR = "hour:";

    DayStats {
        extractors = Map.copyOf(extractors);
        errors = Map.copyOf(errors);
        hours = Map.copyOf(hours);
    }

    static DayStats empty(LocalDate date) {
        return new DayStats(date, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of());
    }

    static DayStats parse(LocalDate date, Map<String, String> hash) {
        long total = 0;
        long completed = 0;
        long failed = 0;
        long cancelled = 0;
        long bytes = 0;
        long durationMs = 0;
        Map<String, Long> extractors = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        Map<Integer, Long> hours = new HashMap<>();
        for (Map.Entry<String, String> field : hash.entrySet()) {
            String name = field.getKey();
            long value = number(field.getValue());
            switch (name) {
                case "total" -> total = value;
                case "completed" -> completed = value;
                case "failed" -> failed = value;
                case "cancelled" -> cancelled = value;
                case "bytes" -> bytes = value;
                case "duration_ms" -> durationMs = value;
                default -> {
                    if (name.startsWith(EXTRACTOR) && name.length() > EXTRACTOR.length()) {
                        extractors.merge(name.substring(EXTRACTOR.length()), value, Long::sum);
                    } else if (name.startsWith(ERROR) && name.length() > ERROR.length()) {
                        errors.merge(name.substring(ERROR.length()), value, Long::sum);
                    } else if (name.startsWith(HOUR)) {
                        Integer hour = hour(name.substring(HOUR.length()));
                        if (hour != null) {
                            hours.merge(hour, value, Long::sum);
                        }
                    }
                    // other fields are someone else's; ignored
                }
            }
        }
        return new DayStats(date, total, completed, failed, cancelled, bytes, durationMs, extractors, errors, hours);
    }

    /** Counters are written with HINCRBY, so integers; a float (HINCRBYFLOAT) is rounded, garbage is 0. */
    static long number(String raw) {
        if (raw == null) {
            return 0;
        }
        String value = raw.trim();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notAnInteger) {
            try {
                double parsed = Double.parseDouble(value);
                return Double.isFinite(parsed) ? Math.round(parsed) : 0;
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
    }

    private static Integer hour(String raw) {
        try {
            int hour = Integer.parseInt(raw);
            return hour >= 0 && hour <= 23 ? hour : null;
        } catch (NumberFormatException notAnHour) {
            return null;
        }
    }
}
