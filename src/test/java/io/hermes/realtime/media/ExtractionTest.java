package io.hermes.realtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Extraction} against a hand-written yt-dlp: a shell script that answers by the URL's last path segment as
 * yt-dlp would (a JSON line, an error on standard error, silence), so every outcome is provoked without a network.
 */
class ExtractionTest {
    private static final String FAKE_YT_DLP = """
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo 2099.01.01; exit 0; fi
            printf '%s\\n' "$@" > "$HOME/arguments"
            printf '%s\\n' "$http_proxy" "$https_proxy" "${no_proxy:-none}" > "$HOME/proxy"
            for url; do :; done
            case "$url" in
              */video) echo '{"id": "v", "title": "A video", "formats": [{"format_id": "0", "ext": "mp4"}]}' ;;
              */unsupported) echo null; echo "ERROR: Unsupported URL: $url" >&2; exit 1 ;;
              */missing) echo null
                echo "ERROR: [generic] None: Unable to download webpage: HTTP Error 404: Not Found" >&2; exit 1 ;;
              */slow) sleep 30 ;;
              */huge) head -c 17000000 /dev/zero | tr '\\0' 'x'; echo ;;
              */nothing) echo null ;;
            esac
            """;

    @TempDir
    Path dir;
    private MediaProcesses processes;
    private YtDlp ytdlp;
    private final AtomicBoolean leaseClosed = new AtomicBoolean();
    private volatile String refusal;

    @BeforeEach
    void fakeYtDlp() throws Exception {
        Path script = dir.resolve("yt-dlp");
        Files.writeString(script, FAKE_YT_DLP);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        processes = new MediaProcesses(Executors.defaultThreadFactory());
        ytdlp = YtDlp.probe(script.toString(), processes, dir);
        assertTrue(ytdlp.available(), () -> ytdlp.absence().orElse(""));
    }

    @AfterEach
    void stop() throws Exception {
        processes.close();
    }

    private Extraction extraction(Duration timeout) {
        ProxyLease lease = new ProxyLease() {
            @Override
            public String proxyUrl() {
                return "http://lease:secret@127.0.0.1:1";
            }

            @Override
            public Optional<String> refusal() {
                return Optional.ofNullable(refusal);
            }

            @Override
            public void close() {
                leaseClosed.set(true);
            }
        };
        return new Extraction(ytdlp, () -> lease, dir, timeout, new ObjectMapper());
    }

    private ApiException failure(String url) {
        return assertThrows(ApiException.class, () -> extraction(Duration.ofSeconds(10)).extract(url));
    }

    @Test
    void aVideoIsReadFromTheJsonLineThroughTheLeasedProxy() throws Exception {
        InfoCache.Extracted extracted = extraction(Duration.ofSeconds(10)).extract("http://media.example/video");
        assertEquals("A video", extracted.info().title());
        assertEquals("0", extracted.info().formats().get(0).formatId());
        assertTrue(extracted.weight() > 50, "weighed by the output read: " + extracted.weight());
        List<String> arguments = Files.readAllLines(dir.resolve("arguments"));
        assertTrue(arguments.containsAll(List.of("--dump-single-json", "--flat-playlist", "--ignore-config")),
                arguments.toString());
        assertTrue(arguments.stream().noneMatch(argument -> argument.contains("secret")),
                "the proxy's credential is not on the command line, where every user sees it: " + arguments);
        assertEquals(List.of("http://lease:secret@127.0.0.1:1", "http://lease:secret@127.0.0.1:1", "none"),
                Files.readAllLines(dir.resolve("proxy")), "it is in the environment, and nothing bypasses it");
        assertEquals(List.of("--", "http://media.example/video"), arguments.subList(arguments.size() - 2,
                arguments.size()), "the URL comes last, after --");
        assertTrue(leaseClosed.get(), "the proxy credential ends with the run");
    }

    @Test
    void anUnsupportedUrlIsTheClientsMistake() {
        ApiException failed = failure("http://media.example/unsupported");
        assertEquals(422, failed.status());
        assertEquals("Unsupported URL: http://media.example/unsupported", failed.getMessage());
    }

    @Test
    void anyOtherFailureIsABadGatewayWithYtDlpsTrimmedMessage() {
        ApiException failed = failure("http://media.example/missing");
        assertEquals(502, failed.status());
        assertEquals("Unable to download webpage: HTTP Error 404: Not Found", failed.getMessage());
    }

    @Test
    void theEgressProxysRefusalSpeaksInsteadOfYtDlp() {
        refusal = "Refused: 10.0.0.1 is a private address";
        ApiException failed = failure("http://media.example/missing");
        assertEquals(422, failed.status());
        assertEquals("Refused: 10.0.0.1 is a private address", failed.getMessage());
    }

    @Test
    void aRunPastTheTimeLimitIsKilledAndAnswers504() throws Exception {
        long started = System.nanoTime();
        ApiException failed = assertThrows(ApiException.class,
                () -> extraction(Duration.ofSeconds(1)).extract("http://media.example/slow"));
        assertEquals(504, failed.status());
        assertTrue(failed.getMessage().contains("HERMES_INFO_TIMEOUT"), failed.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "not the script's 30 s");
        Await.until(Duration.ofSeconds(5), () -> processes.running(), running -> running == 0, "no child left");
        assertTrue(leaseClosed.get());
    }

    @Test
    void anAnswerLargerThanTheLimitIsABadGateway() {
        ApiException failed = failure("http://media.example/huge");
        assertEquals(502, failed.status());
        assertTrue(failed.getMessage().contains("16 MiB"), failed.getMessage());
    }

    @Test
    void successWithoutInformationIsABadGateway() {
        assertEquals(502, failure("http://media.example/nothing").status());
    }
}
