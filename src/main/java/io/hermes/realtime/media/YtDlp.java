package io.hermes.realtime.media;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The yt-dlp executable ({@code HERMES_YTDLP}) and how this server runs it: found and asked its version once
 * at start; every run gets its arguments as a list (no shell), the URL last after {@code --}, no
 * configuration file ({@code --ignore-config}, and a {@code HOME} of its own), no cache, and every request
 * through the egress proxy (named in its environment), which holds the private-address policy for whatever
 * yt-dlp fetches.
 *
 * <p>Nothing from a request becomes an option: callers pass options this server wrote, with any value
 * from a request joined to its option in one argument ({@code --format=VALUE}), so a value can never be
 * read as an option of its own.
 */
public final class YtDlp {
    private static final System.Logger LOG = System.getLogger(YtDlp.class.getName());
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(15);
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    /** Every run starts with these, in this order: also how {@link #killOrphans} knows a run of ours. */
    private static final List<String> OUR_FIRST_OPTIONS = List.of("--ignore-config", "--no-cache-dir", "--no-colors",
            "--socket-timeout=20");

    private final Path executable;
    private final String version;
    private final String absence;
    private final MediaProcesses processes;

    private YtDlp(Path executable, String version, String absence, MediaProcesses processes) {
        this.executable = executable;
        this.version = version;
        this.absence = absence;
        this.processes = processes;
    }

    /** Finds {@code name} (a path, or a program name looked up in {@code PATH}) and asks its version. */
    static YtDlp probe(String name, MediaProcesses processes, Path scratch) {
        Optional<Path> found = locate(name);
        if (found.isEmpty()) {
            return absent(name, "yt-dlp not found (HERMES_YTDLP=" + name + ")", processes);
        }
        try (ChildProcess child = processes.start(List.of(found.get().toString(), "--version"), scratch,
                environment(scratch), 256)) {
            String line = child.nextLine(VERSION_TIMEOUT);
            OptionalInt exit = child.awaitExit(Duration.ofSeconds(2));
            if (line == null || exit.isEmpty() || exit.getAsInt() != 0) {
                return absent(name, "yt-dlp at " + found.get() + " did not answer --version", processes);
            }
            LOG.log(Level.INFO, "yt-dlp {0} at {1}: media pages, manifests and playlists go to it", line.trim(),
                    found.get());
            return new YtDlp(found.get(), line.trim(), null, processes);
        } catch (IOException failed) {
            return absent(name, "yt-dlp at " + found.get() + " could not start: " + failed.getMessage(), processes);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return absent(name, "interrupted while asking yt-dlp its version", processes);
        }
    }

    private static YtDlp absent(String name, String why, MediaProcesses processes) {
        LOG.log(Level.WARNING, "{0}: media pages, playlists and /info are unavailable; direct files still download",
                why);
        return new YtDlp(Path.of(name), null, why, processes);
    }

    private static Optional<Path> locate(String name) {
        if (name.contains("/")) {
            Path path = Path.of(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searched = System.getenv().getOrDefault("PATH", DEFAULT_PATH);
        for (String directory : searched.split(":")) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Kills the runs a previous instance on this machine left behind when it died without stopping them (a
     * JVM killed outright cannot end its children): yt-dlp processes started as this class starts them whose
     * parent is gone, init, or no JVM. Their downloads were recovered elsewhere; they would only fetch on.
     *
     * @return how many were killed
     */
    static int killOrphans() {
        List<ProcessHandle> orphans = ProcessHandle.allProcesses().filter(YtDlp::isOurRun)
                .filter(process -> process.parent().map(YtDlp::isNoJvm).orElse(true)).toList();
        for (ProcessHandle orphan : orphans) {
            LOG.log(Level.WARNING, "Killing yt-dlp {0}, left running by an instance that died", orphan.pid());
            orphan.descendants().forEach(ProcessHandle::destroyForcibly);
            orphan.destroyForcibly();
        }
        return orphans.size();
    }

    private static boolean isOurRun(ProcessHandle process) {
        return process.info().arguments().map(arguments -> {
            int at = java.util.Arrays.asList(arguments).indexOf(OUR_FIRST_OPTIONS.get(0));
            return at >= 0 && at + OUR_FIRST_OPTIONS.size() <= arguments.length && java.util.Arrays.asList(arguments)
                    .subList(at, at + OUR_FIRST_OPTIONS.size()).equals(OUR_FIRST_OPTIONS);
        }).orElse(false);
    }

    private static boolean isNoJvm(ProcessHandle parent) {
        return !parent.isAlive() || parent.pid() == 1
                || !parent.info().command().map(command -> command.endsWith("/java")).orElse(false);
    }

    public boolean available() {
        return version != null;
    }

    /** The version yt-dlp reported, or empty when it is absent. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** Why yt-dlp is unavailable, for logs, health and the 503 of {@code /info}; empty when it is available. */
    public Optional<String> absence() {
        return Optional.ofNullable(absence);
    }

    /**
     * Starts yt-dlp on {@code url} with {@code options}, inside {@code workDir} (its current and home
     * directory), fetching through {@code proxyUrl}.
     *
     * @param maxLineBytes the longest line of output accepted (a {@code -J} answer is one line)
     * @throws IllegalArgumentException for a URL that is not http(s), or an option that is not one argument
     *                                  starting with {@code -}
     * @throws IOException              when yt-dlp is absent or cannot start
     */
    public ChildProcess start(List<String> options, String url, String proxyUrl, Path workDir, int maxLineBytes)
            throws IOException {
        if (!available()) {
            throw new IOException(absence);
        }
        String scheme = url.toLowerCase(Locale.ROOT);
        if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
            throw new IllegalArgumentException("only http(s) URLs are given to yt-dlp");
        }
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(OUR_FIRST_OPTIONS);
        for (String option : options) {
            if (!option.startsWith("-") || option.equals("--")) {
                throw new IllegalArgumentException("not an option: " + option);
            }
            command.add(option);
        }
        command.add("--");
        command.add(url);
        Map<String, String> environment = new java.util.HashMap<>(environment(workDir));
        // The proxy's credential goes in the environment, which only this user can read, not on the command line,
        // which every user sees (ps). yt-dlp takes http_proxy and https_proxy as urllib does; no no_proxy is set.
        for (String variable : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")) {
            environment.put(variable, proxyUrl);
        }
        return processes.start(command, workDir, environment, maxLineBytes);
    }

    /**
     * Exactly what a run sees: the program search path (for ffmpeg), UTF-8, and its work directory as home,
     * so no user configuration, cookies or plugins under the server's home are read, and no proxy variable
     * routes around the egress proxy.
     */
    private static Map<String, String> environment(Path home) {
        return Map.of("PATH", System.getenv().getOrDefault("PATH", DEFAULT_PATH),
                "HOME", home.toString(),
                "LANG", "C.UTF-8",
                "LC_ALL", "C.UTF-8",
                "PYTHONIOENCODING", "utf-8",
                "PYTHONDONTWRITEBYTECODE", "1");
    }
}
