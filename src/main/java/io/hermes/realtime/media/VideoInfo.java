package io.hermes.realtime.media;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of {@code GET /info} (upstream's VideoInfo, contract section 7), read from what {@code yt-dlp -J
 * --flat-playlist} printed: a video with its formats, thumbnails and subtitles, or a playlist with
 * {@code formats: []} and its entries. Optional fields are null, lists empty, never absent.
 *
 * <p>Every URL in it is absolute http or https, whatever the page said: the web app puts them in links and
 * image sources, and submits the entries' URLs to {@code /download/batch}. Relative entry URLs (a feed's
 * enclosures) are resolved against the playlist's page; others ({@code javascript:}, {@code data:}) are left out.
 */
record VideoInfo(String id, String title, String description, Double duration, String uploader, String uploadDate,
        Long viewCount, String webpageUrl, String extractor, List<FormatDetail> formats, List<Thumbnail> thumbnails,
        Map<String, List<Subtitle>> subtitles, Integer playlistCount, String playlistId, String playlistTitle,
        List<PlaylistEntry> entries) {

    /** One format yt-dlp can fetch; {@code resolution} is yt-dlp's ({@code 640x360}, {@code audio only}). */
    record FormatDetail(String formatId, String ext, String resolution, Double fps, String vcodec, String acodec,
            Double tbr, Long filesize, String formatNote) {

        /** Whether it has no picture: yt-dlp says {@code vcodec: none}; an unknown codec may be anything. */
        boolean audioOnly() {
            return "none".equals(vcodec) && !"none".equals(acodec);
        }

        /** Whether it has no sound. */
        boolean videoOnly() {
            return "none".equals(acodec) && !"none".equals(vcodec);
        }

        /** The height in pixels when the resolution says it ({@code 640x360} → 360), else null. */
        Integer height() {
            if (resolution == null) {
                return null;
            }
            int x = resolution.indexOf('x');
            try {
                return x > 0 ? Integer.valueOf(resolution.substring(x + 1)) : null;
            } catch (NumberFormatException notPixels) {
                return null;
            }
        }
    }

    record Thumbnail(String url, Integer width, Integer height, String resolution) {
    }

    record Subtitle(String url, String ext, String lang) {
    }

    record PlaylistEntry(String id, String title, String url, Double duration, String thumbnail, String uploader) {
    }

    /** The yt-dlp JSON of {@code requestedUrl}, as the API answers it. */
    static VideoInfo of(JsonNode info, String requestedUrl) {
        String type = text(info, "_type");
        String webpageUrl = httpUrl(text(info, "webpage_url"));
        if (webpageUrl == null) {
            webpageUrl = requestedUrl;
        }
        String extractor = orElse(text(info, "extractor"), "");
        if ("playlist".equals(type) || "multi_video".equals(type)) {
            List<PlaylistEntry> entries = entries(info.path("entries"), webpageUrl, extractor);
            String id = orElse(text(info, "id"), "unknown");
            String title = orElse(text(info, "title"), "Untitled Playlist");
            return new VideoInfo(id, title, text(info, "description"), null, text(info, "uploader"),
                    text(info, "upload_date"), integer(info, "view_count"), webpageUrl, extractor, List.of(),
                    thumbnails(info), subtitles(info.path("subtitles")), entries.size(), text(info, "id"),
                    text(info, "title"), entries);
        }
        return new VideoInfo(orElse(text(info, "id"), ""), orElse(text(info, "title"), ""), text(info, "description"),
                number(info, "duration"), text(info, "uploader"), text(info, "upload_date"),
                integer(info, "view_count"), webpageUrl, extractor, formats(info.path("formats")), thumbnails(info),
                subtitles(info.path("subtitles")), null, null, null, List.of());
    }

    /** The same answer without formats, for {@code include_formats=false}. */
    VideoInfo withoutFormats() {
        return new VideoInfo(id, title, description, duration, uploader, uploadDate, viewCount, webpageUrl, extractor,
                List.of(), thumbnails, subtitles, playlistCount, playlistId, playlistTitle, entries);
    }

    private static List<FormatDetail> formats(JsonNode formats) {
        List<FormatDetail> details = new ArrayList<>();
        for (JsonNode format : formats) {
            Long filesize = integer(format, "filesize");
            details.add(new FormatDetail(text(format, "format_id"), text(format, "ext"), text(format, "resolution"),
                    number(format, "fps"), text(format, "vcodec"), text(format, "acodec"), number(format, "tbr"),
                    filesize != null ? filesize : integer(format, "filesize_approx"), text(format, "format_note")));
        }
        return details;
    }

    /** {@code thumbnails}, or the single {@code thumbnail} when an extractor gave only that. */
    private static List<Thumbnail> thumbnails(JsonNode info) {
        List<Thumbnail> thumbnails = new ArrayList<>();
        for (JsonNode thumbnail : info.path("thumbnails")) {
            String url = httpUrl(text(thumbnail, "url"));
            if (url != null) {
                Long width = integer(thumbnail, "width");
                Long height = integer(thumbnail, "height");
                String resolution = text(thumbnail, "resolution");
                if (resolution == null && width != null && height != null) {
                    resolution = width + "x" + height;
                }
                thumbnails.add(new Thumbnail(url, narrow(width), narrow(height), resolution));
            }
        }
        String single = httpUrl(text(info, "thumbnail"));
        if (thumbnails.isEmpty() && single != null) {
            thumbnails.add(new Thumbnail(single, null, null, null));
        }
        return thumbnails;
    }

    private static Map<String, List<Subtitle>> subtitles(JsonNode byLanguage) {
        Map<String, List<Subtitle>> subtitles = new LinkedHashMap<>();
        byLanguage.fields().forEachRemaining(language -> {
            List<Subtitle> tracks = new ArrayList<>();
            for (JsonNode track : language.getValue()) {
                String url = httpUrl(text(track, "url"));
                if (url != null) {
                    tracks.add(new Subtitle(url, orElse(text(track, "ext"), ""), language.getKey()));
                }
            }
            if (!tracks.isEmpty()) {
                subtitles.put(language.getKey(), tracks);
            }
        });
        return subtitles;
    }

    /**
     * A playlist's entries that can be submitted: each with an absolute http(s) URL (its page, else its URL, resolved
     * against the playlist's page). Flat entries may lack an id (a feed's enclosures do); their URL stands in, so
     * every entry the app lists can be told apart.
     */
    private static List<PlaylistEntry> entries(JsonNode entries, String playlistUrl, String extractor) {
        List<PlaylistEntry> listed = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                continue; // yt-dlp writes null for an entry it could not read
            }
            String id = text(entry, "id");
            String url = resolve(playlistUrl, text(entry, "webpage_url"));
            if (url == null) {
                url = resolve(playlistUrl, text(entry, "url"));
            }
            if (url == null && id != null && extractor.toLowerCase(Locale.ROOT).contains("youtube")) {
                url = "https://www.youtube.com/watch?v=" + id; // YouTube's flat entries may carry only their id
            }
            if (url == null) {
                continue;
            }
            String thumbnail = httpUrl(text(entry, "thumbnail"));
            if (thumbnail == null) {
                thumbnail = httpUrl(text(entry.path("thumbnails").path(0), "url"));
            }
            listed.add(new PlaylistEntry(orElse(id, url), orElse(text(entry, "title"), "Untitled"), url,
                    number(entry, "duration"), thumbnail, text(entry, "uploader")));
        }
        return listed;
    }

    /**
     * {@code reference} resolved against {@code base}, when that gives an http(s) URL with a host; without the
     * fragment yt-dlp uses to pass data between its own extractors ({@code #__youtubedl_smuggle=…}), which means
     * nothing to a browser and would only make the URL harder to read.
     */
    static String resolve(String base, String reference) {
        if (reference == null) {
            return null;
        }
        int smuggled = reference.indexOf("#__youtubedl_smuggle=");
        String cleaned = smuggled >= 0 ? reference.substring(0, smuggled) : reference;
        try {
            return httpUrl(new URI(base).resolve(new URI(cleaned)).toString());
        } catch (URISyntaxException | IllegalArgumentException malformed) {
            return null;
        }
    }

    /** {@code url} when it is an absolute http(s) URL with a host, else null. */
    static String httpUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            return web && uri.getHost() != null && !uri.getHost().isEmpty() ? url : null;
        } catch (URISyntaxException malformed) {
            return null;
        }
    }

    /** A text field, a number written as text (some extractors give numeric ids), or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() || value.isNumber() ? value.asText() : null;
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    /** A count or size; yt-dlp writes some as floats ({@code filesize_approx}), which are rounded down. */
    private static Long integer(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    private static Integer narrow(Long value) {
        return value == null || value > Integer.MAX_VALUE || value < 0 ? null : value.intValue();
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
