package io.hermes.realtime.storage;

import java.util.List;

/** One reading of disk usage; byte counts, percentage 0..100. */
public record StorageReport(long totalSpace, long usedSpace, long freeSpace, double usagePercentage,
        String downloadDirectory, String tempDirectory, long downloadsSize, long tempSize,
        List<CleanupRecommendation> cleanupRecommendations) {

    /** A suggestion shown to the user, such as old temp files that could go. */
    public record CleanupRecommendation(String type, String description, long potentialSavings, int fileCount) {
    }
}
