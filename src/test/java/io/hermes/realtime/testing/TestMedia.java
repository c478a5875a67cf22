package io.hermes.realtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Media the tests make themselves with ffmpeg, once per test run: a few seconds of test pattern and tone as
 * an MP4, an HLS playlist with its segments, a DASH manifest with separate video and audio, a page whose
 * {@code <video>} points at the MP4 with a WebVTT subtitle track and a poster, a page without media (which
 * yt-dlp calls an unsupported URL), and an RSS feed of three videos (a playlist to yt-dlp). Served by
 * {@link MediaServer}.
 */
public final class TestMedia {
    /** Seconds of each clip. */
    public static final int SECONDS = 4;
    private static Path made;

    private TestMedia() {
    }

    /** Whether ffmpeg, ffprobe and yt-dlp are installed; tests that need them are skipped, saying so, otherwise. */
    public static boolean toolsInstalled() {
        return onPath("ffmpeg") && onPath("ffprobe") && onPath("yt-dlp");
    }

    /** The directory of generated media, made on first use. */
    public static synchronized Path directory() throws IOException, InterruptedException {
        if (made != null) {
            return made;
        }
        Path dir = Files.createTempDirectory("hermes-test-media");
        ffmpeg(dir, "-f", "lavfi", "-i", "testsrc=duration=" + SECONDS + ":size=640x360:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=" + SECONDS,
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest", "clip.mp4");
        Files.createDirectories(dir.resolve("hls"));
        ffmpeg(dir, "-i", "clip.mp4", "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
                "hls/clip.m3u8");
        Files.createDirectories(dir.resolve("dash"));
        ffmpeg(dir, "-i", "clip.mp4", "-map", "0:v", "-map", "0:a", "-c", "copy", "-f", "dash", "-seg_duration", "1",
                "dash/clip.mpd");
        ffmpeg(dir, "-i", "clip.mp4", "-frames:v", "1", "poster.jpg");
        Files.writeString(dir.resolve("clip.en.vtt"), "WEBVTT\n\n00:00.000 --> 00:02.000\nA test pattern\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("page.html"), """
                <!DOCTYPE html>
                <html><head><title>Test Pattern Page</title>
                <meta property="og:title" content="Test Pattern">
                <meta property="og:description" content="Four seconds of colour bars and a tone">
                </head><body>
                <video poster="/poster.jpg" controls>
                  <source src="/clip.mp4" type="video/mp4">
                  <track kind="subtitles" src="/clip.en.vtt" srclang="en" label="English">
                </video>
                </body></html>
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("plain.html"), """
                <!DOCTYPE html>
                <html><head><title>Nothing to Watch</title></head><body><p>Only words here.</p></body></html>
                """, StandardCharsets.UTF_8);
        StringBuilder feed = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Test Feed</title><link>http://example.invalid/</link>
                <description>Three clips</description>
                """);
        for (int i = 1; i <= 3; i++) {
            feed.append("<item><title>Clip ").append(i).append("</title><guid>clip-").append(i)
                    .append("</guid><enclosure url=\"/clip.mp4?n=").append(i)
                    .append("\" type=\"video/mp4\" length=\"1000\"/></item>\n");
        }
        feed.append("</channel></rss>\n");
        Files.writeString(dir.resolve("feed.xml"), feed.toString(), StandardCharsets.UTF_8);
        made = dir;
        return dir;
    }

    /** The duration ffprobe reads from {@code file}, in seconds. */
    public static double probedDuration(Path file) throws IOException, InterruptedException {
        return Double.parseDouble(run(file.getParent(), List.of("ffprobe", "-v", "error", "-show_entries",
                "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file.toString())).strip());
    }

    /** The stream types ({@code video}, {@code audio}) ffprobe finds in {@code file}. */
    public static List<String> probedStreams(Path file) throws IOException, InterruptedException {
        return run(file.getParent(), List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_type",
                "-of", "default=noprint_wrappers=1:nokey=1", file.toString())).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    private static void ffmpeg(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        run(dir, command);
    }

    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
