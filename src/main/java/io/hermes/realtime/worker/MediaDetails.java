package io.hermes.realtime.worker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What yt-dlp tells about a media download before it starts: the record's result fields, stored as soon as
 * they are known so clients can title the download while it runs.
 *
 * @param duration the media's length in seconds, or null
 * @param formatId what yt-dlp chose, such as {@code 137+140}
 */
record MediaDetails(String title, String extractor, String description, String thumbnailUrl, Double duration,
        String formatId) {

    /** Reads our {@code --print before_dl:} JSON; fields yt-dlp left out are null. */
    static MediaDetails of(JsonNode info) {
        JsonNode duration = info.path("duration");
        return new MediaDetails(text(info, "title"), text(info, "extractor"), text(info, "description"),
                text(info, "thumbnail"), duration.isNumber() ? duration.asDouble() : null, text(info, "format_id"));
    }

    private static String text(JsonNode info, String field) {
        JsonNode value = info.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
