package io.hermes.realtime.media;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The answer of {@code GET /formats}: upstream's FormatInfo envelope ({@code videoFormats, audioFormats,
 * subtitleFormats, qualityOptions, resolutionOptions, formatNotes}), which the web app asks for without a URL, plus
 * {@code url} and {@code formats}. Without a URL it describes what a download's {@code format} may say in general;
 * with one, what that URL offers: its formats (FormatDetail, as in {@code /info}), their containers and heights,
 * and the selectors that make sense for it, each format id included.
 */
record FormatInfo(String url, List<VideoInfo.FormatDetail> formats, List<String> videoFormats,
        List<String> audioFormats, List<String> subtitleFormats, List<String> qualityOptions,
        List<String> resolutionOptions, Map<String, String> formatNotes) {

    private static final Map<String, String> SELECTORS = selectors();

    /** What yt-dlp, and so {@code POST /download}'s {@code format}, understands for any URL. */
    static FormatInfo general() {
        return new FormatInfo(null, List.of(),
                List.of("mp4", "webm", "mkv", "mov", "avi", "flv", "m4v", "3gp", "ts", "mpg", "wmv", "f4v"),
                List.of("m4a", "mp3", "aac", "opus", "ogg", "flac", "wav", "alac", "aiff", "wma", "webm"),
                List.of("vtt", "srt", "ass", "ssa", "ttml", "lrc", "sbv", "json3", "srv1", "srv2", "srv3"),
                List.copyOf(SELECTORS.keySet()),
                List.of("144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "4320p"),
                generalNotes());
    }

    /** What {@code url} (already extracted as {@code info}) offers; a playlist offers nothing of its own. */
    static FormatInfo of(String url, VideoInfo info) {
        Set<String> video = new LinkedHashSet<>();
        Set<String> audio = new LinkedHashSet<>();
        TreeSet<Integer> heights = new TreeSet<>();
        boolean videoOnly = false;
        boolean audioOnly = false;
        for (VideoInfo.FormatDetail format : info.formats()) {
            if (format.audioOnly()) {
                audioOnly = true;
                addIfKnown(audio, format.ext());
            } else {
                videoOnly |= format.videoOnly();
                addIfKnown(video, format.ext());
                if (format.height() != null) {
                    heights.add(format.height());
                }
            }
        }
        Set<String> subtitles = new LinkedHashSet<>();
        info.subtitles().values().forEach(tracks -> tracks.forEach(track -> addIfKnown(subtitles, track.ext())));

        List<String> options = new ArrayList<>();
        if (!info.formats().isEmpty()) {
            options.addAll(List.of("best", "worst"));
        }
        if (videoOnly && audioOnly) {
            options.addAll(List.of("bestvideo+bestaudio", "bestvideo"));
        }
        if (audioOnly) {
            options.add("bestaudio");
        }
        Map<String, String> notes = new LinkedHashMap<>();
        options.forEach(option -> notes.put(option, SELECTORS.get(option)));
        for (VideoInfo.FormatDetail format : info.formats()) {
            if (format.formatId() != null && !notes.containsKey(format.formatId())) {
                options.add(format.formatId());
                notes.put(format.formatId(), describe(format));
            }
        }
        return new FormatInfo(url, info.formats(), List.copyOf(video), List.copyOf(audio), List.copyOf(subtitles),
                options, heights.stream().map(height -> height + "p").toList(), notes);
    }

    /** One format in words: {@code 640x360, mp4, avc1.42c01e, video only (DASH video)}. */
    private static String describe(VideoInfo.FormatDetail format) {
        List<String> parts = new ArrayList<>();
        if (format.resolution() != null) {
            parts.add(format.resolution());
        }
        if (format.ext() != null) {
            parts.add(format.ext());
        }
        if (format.vcodec() != null && !format.vcodec().equals("none")) {
            parts.add(format.vcodec());
        }
        if (format.acodec() != null && !format.acodec().equals("none")) {
            parts.add(format.acodec());
        }
        if (format.videoOnly()) {
            parts.add("video only");
        }
        String described = parts.isEmpty() ? "format " + format.formatId() : String.join(", ", parts);
        return format.formatNote() == null ? described : described + " (" + format.formatNote() + ")";
    }

    private static void addIfKnown(Set<String> values, String value) {
        if (value != null && !value.isEmpty()) {
            values.add(value);
        }
    }

    /** yt-dlp selectors a client may offer, in the order a menu would show them, with what each does. */
    private static Map<String, String> selectors() {
        Map<String, String> selectors = new LinkedHashMap<>();
        selectors.put("best", "the best single file with picture and sound (the default)");
        selectors.put("worst", "the smallest single file with picture and sound");
        selectors.put("bestvideo+bestaudio", "the best picture and the best sound, fetched apart and merged by ffmpeg");
        selectors.put("worstvideo+worstaudio", "the smallest picture and sound, fetched apart and merged");
        selectors.put("bestvideo", "the best picture alone, without sound");
        selectors.put("worstvideo", "the smallest picture alone");
        selectors.put("bestaudio", "the best sound alone, without picture");
        selectors.put("worstaudio", "the smallest sound alone");
        selectors.put("bestvideo[ext=mp4]+bestaudio[ext=m4a]/best[ext=mp4]",
                "the best in MP4, which plays almost everywhere");
        selectors.put("bestvideo[ext=webm]+bestaudio[ext=webm]/best[ext=webm]", "the best in WebM");
        selectors.put("bestvideo[height<=480]+bestaudio/best[height<=480]", "the best up to 480 lines");
        selectors.put("bestvideo[height<=720]+bestaudio/best[height<=720]", "the best up to 720 lines");
        selectors.put("bestvideo[height<=1080]+bestaudio/best[height<=1080]", "the best up to 1080 lines");
        return Collections.unmodifiableMap(selectors);
    }

    private static Map<String, String> generalNotes() {
        Map<String, String> notes = new LinkedHashMap<>(SELECTORS);
        notes.put("mp4", "the best file in MP4, by file extension");
        notes.put("webm", "the best file in WebM");
        notes.put("FORMAT_ID", "one format by its id from /info or /formats?url= (such as 137), or two joined "
                + "by + to merge picture and sound (137+140)");
        return notes;
    }
}
