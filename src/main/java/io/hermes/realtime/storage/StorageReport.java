package io.hermes.realtime.storage;

import java.util.List;

/**
 * One reading of disk usage; byte counts, percentage 0..100. Its component names are the camelCase
 * fields of {@code GET /storage}, so the servlet writes it as it is.
 */
public record StorageReport(long totalSpace, long usedSpace, long freeSpace, double usagePercentage,
        String downloadDirectory, String tempDirectory, long downloadsSize, long tempSize,
        List<CleanupRecommendation> cleanupRecommendations) {

    public StorageReport {
        cleanupRecommendations = List.copyOf(cleanupRecommendations);
    }

    /** A suggestion shown to the user, such as old temp files that could go. */
    public record CleanupRecommendation(String type, String description, long potentialSavings, int fileCount) {
    }
}
