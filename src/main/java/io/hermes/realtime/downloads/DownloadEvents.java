package io.hermes.realtime.downloads;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes what happens to downloads as contract section 5 says: {@code download_progress} on every
 * status change and progress step, {@code queue_update} when the queue changes, {@code stats_update} when
 * a download ends. Every event carries its download's owner, so other owners' streams never see it.
 */
public final class DownloadEvents {
    private final EventPublisher publisher;
    private final Json json;
    private final Clock clock;

    public DownloadEvents(EventPublisher publisher, Json json, Clock clock) {
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
    }

    /** A download was added to the queue. */
    public void added(Download download) {
        publisher.publish(Channel.DOWNLOAD, progressData(download, progressOf(download)), download.owner());
        publisher.publish(Channel.QUEUE, queueData("added", download.id(), download.status()), download.owner());
    }

    /** A download changed status (read back after the change). */
    public void statusChanged(Download download) {
        publisher.publish(Channel.DOWNLOAD, progressData(download, progressOf(download)), download.owner());
        publisher.publish(Channel.QUEUE, queueData("status_changed", download.id(), download.status()), download.owner());
        if (download.status().isTerminal()) {
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("event", "download_" + download.status().wire());
            stats.put("download_id", download.id());
            stats.put("timestamp", Timestamps.format(clock.instant()));
            publisher.publish(Channel.STATS, stats, download.owner());
        }
    }

    /**
     * A running transfer moved on. {@code dataJson} is {@link #progressData} already serialised:
     * {@link ProgressSteps} writes the same text to the progress key, so it is encoded once per step.
     */
    void progressed(Download download, String dataJson) {
        publisher.publishJson(Channel.DOWNLOAD, Channel.DOWNLOAD.eventType(), dataJson, download.owner());
    }

    /** A download was deleted. */
    public void removed(Download download) {
        publisher.publish(Channel.QUEUE, queueData("removed", download.id(), download.status()), download.owner());
    }

    /** Files landed or went: {@code storage_update} with the new disk usage. */
    public void storageChanged(io.hermes.realtime.storage.StorageReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total_space", report.totalSpace());
        data.put("used_space", report.usedSpace());
        data.put("free_space", report.freeSpace());
        data.put("usage_percentage", report.usagePercentage());
        publisher.publish(Channel.STORAGE, data);
    }

    /**
     * The {@code download_progress} data, which is also the progress key's snapshot: it starts with
     * {@code download_id} and {@code status}, and a failure carries {@code error_message}.
     */
    Map<String, Object> progressData(Download download, ProgressReading progress) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("download_id", download.id());
        data.put("status", download.status().wire());
        data.put("message", download.get("message"));
        data.put("progress", progress.wireForm());
        data.put("result", download.resultWireForm(json.mapper()));
        if (download.status() == Status.FAILED) {
            data.put("error_message", download.get("error"));
        }
        return data;
    }

    /**
     * The download's state as a {@code download_progress} data object, built from its record: what a
     * client watching one download is sent first when no progress key holds a fresher running step.
     */
    public Map<String, Object> stateOf(Download download) {
        return progressData(download, progressOf(download));
    }

    private ProgressReading progressOf(Download download) {
        Status status = download.status();
        JsonNode stored = download.progress(json.mapper());
        if (status == Status.COMPLETED) {
            long size = download.get("file_size") == null ? 0 : Long.parseLong(download.get("file_size"));
            return new ProgressReading(100.0, status.wire(), size, size, null, 0L);
        }
        if (stored.isEmpty()) {
            return ProgressReading.of(status);
        }
        return new ProgressReading(stored.path("percentage").asDouble(0), status.wire(), stored.path("downloaded_bytes").asLong(0),
                stored.path("total_bytes").isNumber() ? stored.path("total_bytes").asLong() : null,
                stored.path("speed").isNumber() ? stored.path("speed").asDouble() : null,
                null);
    }

    private static Map<String, Object> queueData(String action, String id, Status status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", action);
        data.put("download_id", id);
        data.put("status", status.wire());
        return data;
    }
}
