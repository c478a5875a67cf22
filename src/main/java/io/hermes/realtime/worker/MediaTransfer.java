package io.hermes.realtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.media.ChildProcess;
import io.hermes.realtime.media.ProxyLease;
import io.hermes.realtime.media.YtDlp;
import io.hermes.realtime.media.YtDlpErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Downloads one media URL with yt-dlp: a page, a manifest (HLS, DASH), anything yt-dlp extracts. yt-dlp
 * runs as a child process in a work directory of its own below the temp directory, fetching through the
 * egress proxy; its progress comes back as lines of our own format and goes to the listener; its files
 * are moved into the download directory at the end under names no other download has. Whatever happens,
 * the child's whole process tree has ended and the work directory is gone when {@link #run} returns.
 *
 * <p>Runs on the calling (worker) thread, which never waits on yt-dlp for more than 100 ms at a time, so a
 * cancel ends the process tree within that and the second {@link ChildProcess#kill()} may take.
 */
final class MediaTransfer {
    private static final Duration POLL = Duration.ofMillis(100);
    /** A {@code before_dl} line carries one video's details, descriptions included. */
    private static final int MAX_LINE_BYTES = 1 << 20;
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_.,:+/\\[\\]<>=!*?^$~()|-]{1,200}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9._*-]{1,32}");
    private static final String DEFAULT_TEMPLATE = "%(title).150B [%(id)s].%(ext)s";
    private static final String INFO = "HINFO ";
    private static final String PROGRESS = "HP ";
    private static final String FILE = "HFILE ";

    /** What a media download reports, on the thread that called {@link #run}. */
    interface Listener {
        void onDetails(MediaDetails details);

        void onProgress(MediaProgress.Step step, String fileName);

        /** Every part is downloaded; yt-dlp merges, converts and moves (the download is {@code processing}). */
        void onProcessing();
    }

    /**
     * The download's choices, as submitted.
     *
     * @param format             a yt-dlp format selector; {@code best} or null: yt-dlp's default
     * @param outputTemplate     a yt-dlp file name template, never a path; null: title and id
     * @param subtitleLanguages  null: English
     */
    record Options(String format, String outputTemplate, boolean subtitles, List<String> subtitleLanguages,
            boolean thumbnail) {
    }

    private final YtDlp ytdlp;
    private final Supplier<ProxyLease> proxies;
    private final TransferLimits limits;
    private final Clock clock;
    /** Reads what yt-dlp prints as JSON: the application's mapper, never one of this class's own. */
    private final ObjectMapper mapper;

    MediaTransfer(YtDlp ytdlp, Supplier<ProxyLease> proxies, TransferLimits limits, Clock clock, ObjectMapper mapper) {
        this.mapper = mapper;
        this.ytdlp = ytdlp;
        this.proxies = proxies;
        this.limits = limits;
        this.clock = clock;
    }

    boolean available() {
        return ytdlp.available();
    }

    /**
     * Downloads {@code url} into {@code downloadDir}.
     *
     * @param downloadId names the work directory; {@code [A-Za-z0-9_-]{1,64}}
     * @throws TransferException          yt-dlp failed (its own message, trimmed), or a limit was reached
     * @throws TransferCancelledException {@code cancelled} turned true before the files were in place
     */
    MediaResult run(String url, String downloadId, Options options, Path tempDir, Path downloadDir,
            Listener listener, BooleanSupplier cancelled)
            throws TransferException, TransferCancelledException, InterruptedException {
        if (!HttpTransfer.DOWNLOAD_ID.matcher(downloadId).matches()) {
            throw new IllegalArgumentException("malformed download id");
        }
        List<String> arguments = arguments(options);
        long started = clock.millis();
        Path work = tempDir.toAbsolutePath().normalize().resolve("media-" + downloadId);
        try (ProxyLease lease = proxies.get()) {
            deleteTree(work); // left by an instance that died mid-download
            Files.createDirectories(work);
            Files.createDirectories(downloadDir);
            Outcome outcome;
            try (ChildProcess child = ytdlp.start(arguments, url, lease.proxyUrl(), work, MAX_LINE_BYTES)) {
                outcome = follow(child, listener, cancelled, started);
                if (outcome.exit != 0) {
                    throw failure(child, lease, outcome);
                }
            }
            if (outcome.mainFile == null) {
                throw new TransferException(TransferException.EXTRACTION_ERROR, outcome.details == null
                        ? "This URL is a playlist: submit its entries (GET /info lists them)"
                        : "yt-dlp wrote no file");
            }
            if (cancelled.getAsBoolean()) {
                throw new TransferCancelledException(); // the last chance: once in place, the download is done
            }
            List<Path> files = place(work, outcome.mainFile, downloadDir);
            return new MediaResult(files, Files.size(files.get(0)), outcome.details,
                    Duration.ofMillis(clock.millis() - started));
        } catch (IOException failed) {
            throw new TransferException(TransferException.IO_ERROR, "Could not run yt-dlp: " + failed.getMessage(),
                    failed);
        } finally {
            deleteTree(work);
        }
    }

    /** What one run printed that matters. */
    private static final class Outcome {
        MediaDetails details;
        Path mainFile;
        int exit;
        boolean tooLarge;
    }

    private Outcome follow(ChildProcess child, Listener listener, BooleanSupplier cancelled, long started)
            throws TransferException, TransferCancelledException, InterruptedException {
        Outcome outcome = new Outcome();
        MediaProgress progress = new MediaProgress(1);
        boolean processing = false;
        long lastOutput = clock.millis();
        while (true) {
            if (cancelled.getAsBoolean()) {
                child.kill();
                throw new TransferCancelledException();
            }
            long now = clock.millis();
            if (now - started > limits.totalTimeout().toMillis()) {
                child.kill();
                throw TransferException.tookTooLong(limits.totalTimeout());
            }
            // Merging a long video prints nothing for a while: only downloading has to keep talking.
            if (!processing && now - lastOutput > limits.idleTimeout().toMillis()) {
                child.kill();
                throw TransferException.idle(limits.idleTimeout());
            }
            String line = child.nextLine(POLL);
            if (line == null) {
                if (child.outputEnded()) {
                    break;
                }
                continue;
            }
            lastOutput = clock.millis();
            if (line.startsWith(INFO)) {
                outcome.details = MediaDetails.of(json(line.substring(INFO.length())));
                progress = new MediaProgress(MediaProgress.partsOf(outcome.details.formatId()));
                listener.onDetails(outcome.details);
            } else if (line.startsWith(PROGRESS)) {
                MediaProgress.Step step = progress.onLine(line.substring(PROGRESS.length()));
                if (step == null) {
                    continue;
                }
                if (step.downloadedBytes() > limits.maxBytes()) {
                    child.kill();
                    throw TransferException.tooLarge(limits.maxBytes());
                }
                listener.onProgress(step, outcome.details == null ? null : outcome.details.title());
                if (progress.allPartsDone() && !processing) {
                    processing = true;
                    listener.onProcessing();
                }
            } else if (line.startsWith(FILE)) {
                outcome.mainFile = Path.of(line.substring(FILE.length()));
            }
        }
        if (child.lineTooLong()) {
            throw new TransferException(TransferException.EXTRACTION_ERROR, "yt-dlp printed a line too long to read");
        }
        OptionalInt exit = child.awaitExit(Duration.ofSeconds(5));
        outcome.exit = exit.orElse(-1);
        return outcome;
    }

    /** Why the run failed, in words: the egress proxy's refusal first (yt-dlp only saw a 403), else yt-dlp's error. */
    private static TransferException failure(ChildProcess child, ProxyLease lease, Outcome outcome) {
        if (lease.refusal().isPresent()) {
            return new TransferException(TransferException.PRIVATE_ADDRESS, lease.refusal().get());
        }
        String message = YtDlpErrors.lastError(child.errorTail());
        String type = YtDlpErrors.unsupportedUrl(message) ? TransferException.UNSUPPORTED_URL
                : TransferException.EXTRACTION_ERROR;
        return new TransferException(type, message);
    }

    /** Our options for yt-dlp: each a single argument, a request's value joined to its option by {@code =}. */
    static List<String> arguments(Options options) throws TransferException {
        List<String> arguments = new ArrayList<>(List.of("--quiet", "--no-warnings", "--no-simulate", "--progress",
                "--newline", "--no-playlist", "--flat-playlist", "--no-mtime", "--hls-prefer-native",
                "--progress-template=download:" + PROGRESS + "%(progress.status)s %(progress.downloaded_bytes)s"
                        + " %(progress.total_bytes)s %(progress.total_bytes_estimate)s %(progress.speed)s"
                        + " %(progress.eta)s %(info.format_id)s %(progress.fragment_index)s"
                        + " %(progress.fragment_count)s",
                "--print=before_dl:" + INFO
                        + "%(.{id,title,extractor,description,thumbnail,duration,format_id})j",
                "--print=after_move:" + FILE + "%(filepath)s"));
        String format = options.format();
        if (format != null && !format.isBlank() && !format.equals("best")) {
            if (!FORMAT.matcher(format).matches()) {
                throw new TransferException(TransferException.EXTRACTION_ERROR,
                        "Invalid format: " + YtDlpErrors.trim(format));
            }
            arguments.add("--format=" + format);
        }
        arguments.add("--output=" + template(options.outputTemplate()));
        if (options.subtitles()) {
            List<String> languages = options.subtitleLanguages() == null || options.subtitleLanguages().isEmpty()
                    ? List.of("en") : options.subtitleLanguages();
            for (String language : languages) {
                if (!LANGUAGE.matcher(language).matches()) {
                    throw new TransferException(TransferException.EXTRACTION_ERROR,
                            "Invalid subtitle language: " + YtDlpErrors.trim(language));
                }
            }
            arguments.add("--write-subs");
            arguments.add("--sub-langs=" + String.join(",", languages));
        }
        if (options.thumbnail()) {
            arguments.add("--write-thumbnail");
        }
        return arguments;
    }

    /** A file name pattern, never a path: no separator, no parent, not standard output. */
    private static String template(String requested) throws TransferException {
        if (requested == null || requested.isBlank()) {
            return DEFAULT_TEMPLATE;
        }
        if (requested.length() > 200 || requested.contains("/") || requested.contains("\\")
                || requested.contains("..") || requested.equals("-") || requested.chars().anyMatch(c -> c < 0x20)) {
            throw new TransferException(TransferException.EXTRACTION_ERROR,
                    "Invalid output template: a file name pattern without / or \\ or .., at most 200 characters");
        }
        return requested;
    }

    /**
     * Moves what yt-dlp left in {@code work} into {@code downloadDir}: the main file first, then the others
     * (subtitles, thumbnail) by name. Leftovers of an interrupted step ({@code .part}, {@code .ytdl}) stay
     * behind and go with the work directory.
     */
    private static List<Path> place(Path work, Path mainFile, Path downloadDir) throws TransferException, IOException {
        Path main = mainFile.toAbsolutePath().normalize();
        if (!work.equals(main.getParent()) || !Files.isRegularFile(main)) {
            throw new TransferException(TransferException.EXTRACTION_ERROR, "yt-dlp wrote its file elsewhere");
        }
        List<Path> others;
        try (Stream<Path> listed = Files.list(work)) {
            others = listed.filter(Files::isRegularFile).filter(file -> !file.equals(main))
                    .filter(file -> !isLeftover(file.getFileName().toString()))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<Path> placed = new ArrayList<>();
        try {
            placed.add(HttpTransfer.place(main, downloadDir, main.getFileName().toString()));
            for (Path other : others) {
                placed.add(HttpTransfer.place(other, downloadDir, other.getFileName().toString()));
            }
        } catch (TransferException failed) {
            placed.forEach(MediaTransfer::deleteQuietly);
            throw failed;
        }
        return placed;
    }

    private static boolean isLeftover(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".part") || lower.endsWith(".ytdl") || lower.contains(".part-frag")
                || lower.endsWith(".temp") || lower.startsWith(".");
    }

    private JsonNode json(String text) throws TransferException {
        try {
            return mapper.readTree(text);
        } catch (IOException malformed) {
            throw new TransferException(TransferException.EXTRACTION_ERROR, "yt-dlp printed malformed details");
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(MediaTransfer::deleteQuietly);
        } catch (IOException ignored) {
            // best effort: the storage view shows what is left
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
