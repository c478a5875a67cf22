package io.hermes.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples went ({@code jdk.ExecutionSample}): the hottest methods by their own
 * samples (top frame), the hottest by samples anywhere in the stack (each method once per sample), and
 * the share of samples that pass through each of a few named areas (Jackson, Jedis, Jetty, SHA-256 …).
 * Only samples of threads whose name contains {@code --threads} count (default: Jetty's "qtp" pool).
 *
 * With {@code --focus PREFIX}, it also names the application methods ({@code io.hermes.realtime.…}, the
 * nearest one on the stack) through which the samples in methods starting with PREFIX were reached.
 *
 * <pre>java -cp hermes-bench.jar io.hermes.bench.JfrHotMethods --file rec.jfr [--top 25] [--threads qtp]
 *     [--focus java.util.regex.]</pre>
 */
public final class JfrHotMethods {
    private static final Set<String> OPTIONS = Set.of("file", "top", "threads", "focus");
    /** Areas a sample is attributed to when any of its frames starts with the prefix (first match wins per area). */
    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("Jedis (Redis client, incl. waiting on the socket)", "redis.clients.");
        AREAS.put("Jackson (JSON parse and write)", "com.fasterxml.jackson.");
        AREAS.put("SHA-256 / MessageDigest", "sun.security.provider.");
        AREAS.put("Jetty", "org.eclipse.jetty.");
        AREAS.put("io.hermes.realtime (application code)", "io.hermes.realtime.");
        AREAS.put("  Download.statusView", "io.hermes.realtime.downloads.Download.statusView");
        AREAS.put("  JsonResponse.sendPolled", "io.hermes.realtime.http.JsonResponse.sendPolled");
        AREAS.put("  PolledResponses.respond (version read, ETag, kept bodies)", "io.hermes.realtime.polling.PolledResponses.respond");
        AREAS.put("  DownloadStore.queuePage", "io.hermes.realtime.downloads.DownloadStore.queuePage");
        AREAS.put("  KeyAuthenticator.authenticate", "io.hermes.realtime.auth.KeyAuthenticator.authenticate");
        AREAS.put("  DownloadStore.page", "io.hermes.realtime.downloads.DownloadStore.page");
        AREAS.put("  DownloadStore.counts", "io.hermes.realtime.downloads.DownloadStore.counts");
        AREAS.put("  StorageUsage (disk)", "io.hermes.realtime.storage.");
        AREAS.put("socket read/write (java.net / sun.nio.ch)", "sun.nio.ch.");
        AREAS.put("native or kernel frames (async-profiler only: syscalls, scheduling, JIT stubs)", "[native] ");
    }

    private JfrHotMethods() {
    }

    public static void main(String[] argv) throws IOException {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("JfrHotMethods: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        int top = args.integer("top", 25, 1, 1000);
        String threads = args.text("threads", "qtp");
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> areas = new LinkedHashMap<>();
        String focus = args.text("focus", null);
        Map<String, Long> focusCallers = new HashMap<>();
        AREAS.keySet().forEach(area -> areas.put(area, 0L));
        long samples = 0;
        long allSamples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args.text("file", "recording.jfr")))) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
                continue;
            }
            allSamples++;
            RecordedThread thread = event.getThread("sampledThread");
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || thread == null || thread.getJavaName() == null || !thread.getJavaName().contains(threads)) {
                continue;
            }
            samples++;
            List<String> frames = new ArrayList<>();
            for (RecordedFrame frame : stack.getFrames()) {
                frames.add(name(frame.getMethod()));
            }
            if (!frames.isEmpty()) {
                self.merge(frames.get(0), 1L, Long::sum);
            }
            for (String method : new HashSet<>(frames)) {
                inclusive.merge(method, 1L, Long::sum);
            }
            if (focus != null && frames.stream().anyMatch(frame -> frame.startsWith(focus))) {
                String caller = frames.stream().filter(frame -> frame.startsWith("io.hermes.realtime.")).findFirst()
                        .orElse("(no application frame)");
                focusCallers.merge(caller, 1L, Long::sum);
            }
            for (Map.Entry<String, String> area : AREAS.entrySet()) {
                if (frames.stream().anyMatch(frame -> frame.startsWith(area.getValue()))) {
                    areas.merge(area.getKey(), 1L, Long::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples, %d on threads matching '%s'%n%n", allSamples, samples, threads);
        System.out.println("share of samples passing through:");
        final long total = samples;
        areas.forEach((area, n) -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * n / Math.max(1, total), area));
        print("hottest methods, own samples (top frame)", self, total, top);
        print("hottest methods, samples anywhere in the stack", inclusive, total, top);
        if (focus != null) {
            print("application methods through which samples in " + focus + "* were reached", focusCallers, total, top);
        }
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println();
        System.out.println(title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(entry -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * entry.getValue() / Math.max(1, total),
                        entry.getKey()));
    }

    private static String name(RecordedMethod method) {
        String type = method.getType() == null ? "" : method.getType().getName();
        // async-profiler writes native and kernel frames as methods of a nameless type.
        return type.isEmpty() ? "[native] " + method.getName() : type + "." + method.getName();
    }
}
