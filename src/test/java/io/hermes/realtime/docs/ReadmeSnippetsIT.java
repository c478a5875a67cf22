package io.hermes.realtime.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```sh} block of README.md and docs/*.md runs as written, in document order (README first,
 * then the pages by name), each with {@code bash -e} in a session of its own from the project root, against
 * a server set up like the dev run: the admin key {@code dev-admin-key}, the account {@code dev} /
 * {@code dev-password}, downloads from private addresses allowed. A block may use what an earlier one
 * left (an account, a file server started in the background), as a reader following the page would.
 *
 * <p><b>The one substitution.</b> The snippets talk to the dev run: the server at {@code localhost:8080}
 * and its Redis where {@code redis-cli} looks by default (localhost:6379). This test runs a server and a
 * Redis of its own on free ports instead, since those ports may be taken (by a dev run, say), so before a
 * block runs its dev-run addresses become the test's: {@code localhost:8080} (or {@code 127.0.0.1:8080})
 * becomes this server's address, and {@code redis-cli} becomes {@code redis-cli -u} this Redis's URL.
 * Nothing else in a block changes.
 *
 * <p><b>Markers.</b> An HTML comment on the line before a block (invisible on GitHub) says what it needs:
 * <ul>
 *   <li>{@code <!-- snippet: needs WHAT -->}: something this test never has (the internet, Docker, root,
 *       an installation of Tomcat …), so the block is not run;</li>
 *   <li>{@code <!-- snippet: uses CMD, CMD -->}: commands beyond bash and curl (redis-cli, ffmpeg …); the
 *       block runs when each is on PATH, as {@code .ci/run} makes sure, and is skipped otherwise.</li>
 * </ul>
 * A block not run is a skipped test whose reason is printed on the console ({@link Skip}).
 *
 * <p><b>What passes.</b> A block passes when it exits with 0 within two minutes and its output shows no
 * error answer (the JSON error body's {@code "code":"http_4xx"} or {@code http_5xx}, which a 401 or 404 carries), no
 * {@code HTTP/1.1 4xx} or {@code 5xx} status line and no {@code curl: (N)} failure. A block that opens an
 * event stream ({@code curl -N}) never ends by itself: it passes once the stream has begun as every stream
 * does ({@code retry:}, then {@code event: connected}), within 20 s, and is then stopped. Processes a block
 * leaves running in the background are stopped after the last block.
 */
class ReadmeSnippetsIT {
    private static final String DEV_KEY = "dev-admin-key";
    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STREAM_START = Duration.ofSeconds(20);
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (needs|uses) (.+?) -->");
    private static final Pattern ERROR_SHOWN = Pattern.compile(
            "\"code\":\"http_[45]\\d\\d\"|HTTP/[\\d.]+ [45]\\d\\d|curl: \\(\\d+\\)");
    private static final Pattern DEV_SERVER = Pattern.compile("(?:localhost|127\\.0\\.0\\.1):8080\\b");
    private static final Pattern REDIS_CLI = Pattern.compile("\\bredis-cli\\b");

    @TempDir
    static Path files;
    private static TestServer server;
    private static String redisUrl;
    /** Sessions of the blocks run so far, each its shell's pid, so that their background processes can be stopped. */
    private static final List<Long> sessions = new ArrayList<>();

    @BeforeAll
    static void startADevLikeServer() throws Exception {
        Skip.unless(onPath("curl") && onPath("setsid"),
                "the snippets need curl, and this test setsid (Debian: apt-get install curl; .ci/run installs it)");
        TestRedis redis = TestRedis.shared();
        redis.flush();
        redisUrl = redis.url().toString();
        server = TestServer.start(redis, Map.of(
                Settings.API_KEYS, DEV_KEY,
                Settings.ADMIN_USERNAME, "dev",
                Settings.ADMIN_PASSWORD, "dev-password",
                Settings.ALLOW_PRIVATE_URLS, "true",
                Settings.DOWNLOAD_DIR, Files.createDirectories(files.resolve("downloads")).toString(),
                Settings.TEMP_DIR, Files.createDirectories(files.resolve("temp")).toString()));
        System.out.println("ReadmeSnippetsIT: localhost:8080 is 127.0.0.1:" + server.port() + ", redis-cli is redis-cli -u "
                + redisUrl + " in every block");
    }

    @AfterAll
    static void stop() throws Exception {
        for (long session : sessions) {
            endSession(session);
        }
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockRunsAsWritten() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Block block : blocks()) {
            tests.add(DynamicTest.dynamicTest(block.where(), () -> run(block)));
        }
        return tests.stream();
    }

    /** The reader of the Markdown itself, so that a block the test would miss fails here instead. */
    @Test
    void blocksAndMarkersAreFoundWhereAReaderSeesThem() {
        List<Block> found = parse("doc.md", List.of(
                "text", "```sh", "echo one", "```", "", "<!-- snippet: uses redis-cli, ffmpeg -->", "```sh",
                "redis-cli PING", "```", "<!-- snippet: needs internet -->", "", "```sh", "curl https://example.com",
                "```", "```yaml", "a: b", "```"));
        assertEquals(List.of(new Block("doc.md:2", "echo one\n", null, null),
                new Block("doc.md:7", "redis-cli PING\n", "uses", "redis-cli, ffmpeg"),
                new Block("doc.md:12", "curl https://example.com\n", "needs", "internet")), found);
    }

    private static void run(Block block) throws Exception {
        if ("needs".equals(block.verb())) {
            Skip.because(block.where() + " needs " + block.what());
        }
        if ("uses".equals(block.verb())) {
            List<String> missing = new ArrayList<>();
            for (String command : block.what().split(",\\s*")) {
                if (!onPath(command)) {
                    missing.add(command);
                }
            }
            Skip.unless(missing.isEmpty(), block.where() + " uses " + String.join(", ", missing)
                    + ", not installed (.ci/run installs it)");
        }
        String script = substituted(block.text());
        Path output = Files.createTempFile(files, "block", ".out");
        // setsid: a session and process group of the block's own, so that what it starts in the background can
        // be stopped; the JVM's child never leads a group, so setsid does not fork and the shell's pid names it.
        Process shell = new ProcessBuilder("setsid", "-w", "bash", "-e", "-c", script)
                .directory(new File(".").getAbsoluteFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        sessions.add(shell.pid());
        if (block.text().contains("curl -N")) {
            Await.atMost(STREAM_START, () -> read(output), seen -> seen.contains("event: connected") || !shell.isAlive());
            endSession(shell.pid());
            shell.waitFor(5, TimeUnit.SECONDS);
            String shown = read(output);
            assertTrue(shown.contains("retry:") && shown.contains("event: connected"),
                    block.where() + " should open a stream (retry:, then event: connected) within " + STREAM_START
                            + report(script, shown));
            assertNoErrorShown(block, script, shown);
            return;
        }
        if (!shell.waitFor(BLOCK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            endSession(shell.pid());
            fail(block.where() + " did not end within " + BLOCK_TIMEOUT + report(script, read(output)));
        }
        String shown = read(output);
        assertEquals(0, shell.exitValue(), block.where() + " should exit with 0" + report(script, shown));
        assertNoErrorShown(block, script, shown);
    }

    private static void assertNoErrorShown(Block block, String script, String shown) {
        Matcher error = ERROR_SHOWN.matcher(shown);
        if (error.find()) {
            fail(block.where() + " shows an error (" + error.group() + ")" + report(script, shown));
        }
    }

    /** The block with the dev run's addresses replaced by the test's (see the class comment). */
    static String substituted(String text) {
        String local = DEV_SERVER.matcher(text).replaceAll(Matcher.quoteReplacement("127.0.0.1:" + server.port()));
        return REDIS_CLI.matcher(local).replaceAll(Matcher.quoteReplacement("redis-cli -u " + redisUrl));
    }

    private static String report(String script, String shown) {
        return "\n--- block as run ---\n" + script + "--- output ---\n" + shown;
    }

    private static String read(Path output) {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            return "(output unreadable: " + unreadable + ")";
        }
    }

    /** Stops every process left in a block's session: its process group, which the shell's pid names. */
    private static void endSession(long session) throws InterruptedException, IOException {
        new ProcessBuilder("kill", "-TERM", "--", "-" + session)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor(5, TimeUnit.SECONDS);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static List<Block> blocks() throws IOException {
        List<Block> all = new ArrayList<>(parse("README.md", Files.readAllLines(Path.of("README.md"))));
        try (Stream<Path> pages = Files.list(Path.of("docs"))) {
            for (Path page : pages.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                all.addAll(parse("docs/" + page.getFileName(), Files.readAllLines(page)));
            }
        }
        return all;
    }

    /**
     * The {@code ```sh} blocks of a Markdown file, each with the marker on the nearest non-blank line before
     * it, if that line is one. A marker that is not {@code needs} or {@code uses} fails, so a typo cannot
     * turn a skipped block into a run one or the other way round.
     */
    static List<Block> parse(String file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        Map<String, String> marker = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("<!-- snippet:")) {
                Matcher matcher = MARKER.matcher(line.strip());
                assertTrue(matcher.matches(), file + ":" + (i + 1) + ": a snippet marker is <!-- snippet: needs WHAT -->"
                        + " or <!-- snippet: uses CMD, CMD -->, not " + line);
                marker.clear();
                marker.put(matcher.group(1), matcher.group(2));
                continue;
            }
            if (line.equals("```sh")) {
                StringBuilder text = new StringBuilder();
                int start = i + 1;
                for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                String verb = marker.isEmpty() ? null : marker.keySet().iterator().next();
                blocks.add(new Block(file + ":" + start, text.toString(), verb, verb == null ? null : marker.get(verb)));
                marker.clear();
                continue;
            }
            if (!line.isBlank()) {
                marker.clear();
            }
        }
        return blocks;
    }

    /** One block: where it starts (file:line of its opening fence), its text, and its marker if any. */
    record Block(String where, String text, String verb, String what) {
    }
}
