package io.hermes.realtime.downloads;

import java.util.List;

/**
 * A validated submission. Format, template and subtitle options are stored and reported as given; the
 * built-in worker fetches the URL as a file and does not interpret them.
 */
public record NewDownload(String url, String format, String outputTemplate, boolean downloadSubtitles,
        boolean downloadThumbnail, List<String> subtitleLanguages, String outputDirectory, String metadataJson,
        String priority, String batchId) {
}
