package io.hermes.realtime.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A finished media download: its files, in place in the download directory under names no other download
 * had, the main file first (the video, merged when it was merged), then subtitles and thumbnail.
 *
 * @param bytes   the main file's size
 * @param elapsed from starting yt-dlp to the files being in place
 */
record MediaResult(List<Path> files, long bytes, MediaDetails details, Duration elapsed) {
    Path mainFile() {
        return files.get(0);
    }
}
