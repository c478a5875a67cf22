package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermes.realtime.testing.Prometheus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus files in {@code deploy/prometheus} pass Prometheus's own checker: the rules parse and
 * their unit tests ({@code hermes-rules.test.yml}) pass, and the example configuration is valid.
 */
class PrometheusRulesIT {
    private static final Path FOLDER = Path.of("deploy/prometheus");

    @Test
    void theAlertingRulesAreValid() throws Exception {
        promtool("check", "rules", "hermes-rules.yml");
    }

    @Test
    void theAlertingRulesPassTheirUnitTests() throws Exception {
        promtool("test", "rules", "hermes-rules.test.yml");
    }

    @Test
    void theExampleConfigurationIsValid() throws Exception {
        // Syntax only: a full check would need the Bearer key file it names to exist on this machine.
        promtool("check", "config", "--syntax-only", "prometheus.yml");
    }

    /** Runs promtool in {@code deploy/prometheus} and fails with its output unless it exits with 0. */
    private static void promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Prometheus.binaryOrSkip("promtool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(FOLDER.toFile()).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        assertEquals(0, process.exitValue(), String.join(" ", arguments) + ":\n" + output);
    }
}
