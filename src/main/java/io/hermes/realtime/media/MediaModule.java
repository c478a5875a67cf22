package io.hermes.realtime.media;

import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;

/**
 * Media: yt-dlp and the child processes this instance runs. {@link #start} finds yt-dlp and asks its
 * version once; {@link #close()} kills every child still running and waits for the threads reading them.
 */
public final class MediaModule implements AutoCloseable {
    private final MediaProcesses processes;
    private final YtDlp ytdlp;

    private MediaModule(MediaProcesses processes, YtDlp ytdlp) {
        this.processes = processes;
        this.ytdlp = ytdlp;
    }

    /**
     * @param executable {@code HERMES_YTDLP}: a path, or a name looked up in {@code PATH}
     * @param scratch    a directory yt-dlp may use as its home while it tells its version
     * @param threads    names the threads reading children's output ({@code hermes-media-io-N})
     */
    public static MediaModule start(String executable, Path scratch, ThreadFactory threads) {
        MediaProcesses processes = new MediaProcesses(threads);
        try {
            java.nio.file.Files.createDirectories(scratch);
        } catch (java.io.IOException unwritable) {
            // probe reports yt-dlp as unable to start, naming the directory's problem
        }
        return new MediaModule(processes, YtDlp.probe(executable, processes, scratch));
    }

    /** yt-dlp as {@code /health/detailed} shows it: {@code {status: available|absent, message, version}}. */
    public java.util.Map<String, Object> health() {
        java.util.Map<String, Object> state = new java.util.LinkedHashMap<>();
        state.put("status", ytdlp.available() ? "available" : "absent");
        state.put("message", ytdlp.absence().orElse("media pages, manifests and playlists go to yt-dlp"));
        state.put("version", ytdlp.version().orElse(null));
        return java.util.Collections.unmodifiableMap(state);
    }

    public YtDlp ytdlp() {
        return ytdlp;
    }

    /** How many yt-dlp (or other) children run now: for health and tests. */
    public int runningChildren() {
        return processes.running();
    }

    @Override
    public void close() throws InterruptedException {
        processes.close();
    }
}
