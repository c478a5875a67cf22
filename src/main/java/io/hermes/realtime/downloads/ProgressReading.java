package io.hermes.realtime.downloads;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of a download's progress, in the contract's snake_case form: percentage 0..100, bytes, speed
 * in bytes per second and ETA in seconds (null when unknown).
 */
record ProgressReading(double percentage, String status, long downloadedBytes, Long totalBytes, Double speed, Long eta) {

    static ProgressReading of(Status status) {
        return new ProgressReading(status == Status.COMPLETED ? 100.0 : 0.0, status.wire(), 0, null, null, null);
    }

    /** Progress of a running transfer from its byte counts and the elapsed time. */
    static ProgressReading measured(long downloaded, long total, double elapsedSeconds) {
        Long totalBytes = total >= 0 ? total : null;
        double percentage = total > 0 ? Math.min(100.0, Math.round(downloaded * 1000.0 / total) / 10.0) : 0.0;
        Double speed = elapsedSeconds > 0 ? Math.round(downloaded / elapsedSeconds * 10) / 10.0 : null;
        Long eta = speed != null && speed > 0 && total > 0 ? Math.round((total - downloaded) / speed) : null;
        return new ProgressReading(percentage, Status.DOWNLOADING.wire(), downloaded, totalBytes, speed, eta);
    }

    /** The reading of a download that completed with {@code bytes}. */
    static ProgressReading finished(long bytes) {
        return new ProgressReading(100.0, Status.COMPLETED.wire(), bytes, bytes, null, 0L);
    }

    /**
     * {@link #wireForm()} as JSON text, written here for the store, which has no JSON library at hand: only
     * numbers, nulls and a status from {@link Status}, so nothing needs escaping.
     */
    String wireJson() {
        StringBuilder json = new StringBuilder("{");
        wireForm().forEach((name, value) -> {
            json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":");
            json.append(value instanceof String text ? "\"" + text + "\"" : String.valueOf(value));
        });
        return json.append('}').toString();
    }

    Map<String, Object> wireForm() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("percentage", percentage);
        wire.put("status", status);
        wire.put("downloaded_bytes", downloadedBytes);
        wire.put("total_bytes", totalBytes);
        wire.put("speed", speed);
        wire.put("eta", eta);
        return wire;
    }
}
