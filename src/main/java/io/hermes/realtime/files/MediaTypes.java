package io.hermes.realtime.files;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a downloaded file, from its extension: the media a download leaves (video,
 * audio, subtitles, thumbnails). Anything else is {@code application/octet-stream}; with
 * {@code X-Content-Type-Options: nosniff} a browser then never guesses it is a page.
 */
final class MediaTypes {
    static final String UNKNOWN = "application/octet-stream";
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("m4a", "audio/mp4"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("opus", "audio/opus"),
            Map.entry("vtt", "text/vtt"),
            Map.entry("srt", "application/x-subrip"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("png", "image/png"),
            Map.entry("webp", "image/webp"));

    private MediaTypes() {
    }

    /** The media type of a file called {@code name}; the extension's case does not matter. */
    static String of(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return UNKNOWN;
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }
}
