package io.hermes.realtime.downloads;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A progress reading in the contract's snake_case form: percentage 0..100, bytes, speed in bytes per
 * second and ETA in seconds (null when unknown).
 */
public record Progress(double percentage, String status, long downloadedBytes, Long totalBytes, Double speed, Long eta) {

    public static Progress of(Status status) {
        return new Progress(status == Status.COMPLETED ? 100.0 : 0.0, status.wire(), 0, null, null, null);
    }

    /** Progress of a running transfer from its byte counts and the elapsed time. */
    public static Progress measured(long downloaded, long total, double elapsedSeconds) {
        Long totalBytes = total >= 0 ? total : null;
        double percentage = total > 0 ? Math.min(100.0, Math.round(downloaded * 1000.0 / total) / 10.0) : 0.0;
        Double speed = elapsedSeconds > 0 ? Math.round(downloaded / elapsedSeconds * 10) / 10.0 : null;
        Long eta = speed != null && speed > 0 && total > 0 ? Math.round((total - downloaded) / speed) : null;
        return new Progress(percentage, Status.DOWNLOADING.wire(), downloaded, totalBytes, speed, eta);
    }

    public Map<String, Object> wireForm() {
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
