package io.hermes.realtime.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, on the test's class path and working directory, that the test can kill
 * with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no context listener, no
 * goodbye to Redis or to clients, as with {@code kill -9} or a lost machine.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the server against {@code redis} with {@code settings} on top of {@link TestServer}'s, and
     * returns once it listens. Its output goes to {@code log}.
     */
    public static ServerProcess start(TestRedis redis, Map<String, String> settings, Path workDir, Path log)
            throws IOException, InterruptedException {
        Path portFile = workDir.resolve("port-" + System.nanoTime());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ChildServerMain.class.getName(), redis.url().toString(), portFile.toString()));
        settings.forEach((name, value) -> command.add(name + "=" + value));
        Process process = new ProcessBuilder(command)
                .directory(new File(System.getProperty("user.dir"))) // the WAR's webapp/ is found from here
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean started = Await.atMost(START_LIMIT, () -> Files.exists(portFile) || !process.isAlive(), done -> done)
                && Files.exists(portFile);
        if (!started) {
            process.destroyForcibly();
            throw new IllegalStateException("the child server did not start; its output:\n" + Files.readString(log));
        }
        return new ServerProcess(process, Integer.parseInt(Files.readString(portFile).trim()));
    }

    public int port() {
        return port;
    }

    /** An API URL: {@code path} is relative to {@code /api/v1}. */
    public URI api(String path) {
        return URI.create("http://127.0.0.1:" + port + "/api/v1" + path);
    }

    /** SIGTERM, as an operator or an orchestrator stops a server, and waits until the process is gone. */
    public void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child server did not stop within 30 s of SIGTERM");
        }
    }

    /** SIGKILL, and waits until the process is gone (the kernel has then closed its sockets). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child server survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
