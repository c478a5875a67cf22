package io.hermes.realtime.worker;

import java.util.Locale;
import java.util.Set;

/** Which answers are not the file itself but something yt-dlp reads: a web page, an HLS or DASH manifest, a feed. */
final class MediaTypes {
    private static final Set<String> FOR_YTDLP = Set.of("text/html", "application/xhtml+xml",
            "application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl",
            "application/dash+xml", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml");

    private MediaTypes() {
    }

    /** True for a page, manifest or feed, by its content type or (for servers that call it a file) its path. */
    static boolean isForYtDlp(String contentType, String path) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (FOR_YTDLP.contains(type)) {
            return true;
        }
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".m3u8") || lower.endsWith(".mpd");
    }
}
