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
import redis.clients.jedis.Jedis;

/**
 * Debian's {@code redis-server} as a master and as its replica, and three {@code redis-sentinel}s watching
 * them (quorum 2), each a process of its own on a free loopback port with its files in a temporary
 * directory. The test that starts it closes it, which kills every process still running.
 */
public final class SentinelSet implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    private static final File SERVER = new File("/usr/bin/redis-server");
    private static final File SENTINEL = new File("/usr/bin/redis-sentinel");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final int downAfterMillis;
    private final int failoverTimeoutMillis;
    /** Port → the redis-server process on it (the master first, then the replica). */
    private final Map<Integer, Process> servers = new java.util.LinkedHashMap<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();

    private SentinelSet(Path dir, int downAfterMillis, int failoverTimeoutMillis) {
        this.dir = dir;
        this.downAfterMillis = downAfterMillis;
        this.failoverTimeoutMillis = failoverTimeoutMillis;
    }

    /** Whether Debian's binaries are installed; {@code .ci/run} installs both. */
    public static boolean available() {
        return SERVER.canExecute() && SENTINEL.canExecute();
    }

    /**
     * Starts the master, its replica and three Sentinels, and returns once every Sentinel knows the replica
     * and the two other Sentinels, so a failover can happen.
     */
    public static SentinelSet start(int downAfterMillis, int failoverTimeoutMillis) throws Exception {
        SentinelSet set = new SentinelSet(Files.createTempDirectory("hermes-sentinels"), downAfterMillis,
                failoverTimeoutMillis);
        try {
            int master = TestRedis.freePort();
            set.startServer(master, null);
            set.startServer(TestRedis.freePort(), master);
            for (int i = 0; i < 3; i++) {
                set.startSentinel(i, master);
            }
            set.awaitReady();
            return set;
        } catch (Exception | AssertionError failed) {
            set.close();
            throw failed;
        }
    }

    /** {@code host:port,…} of the Sentinels, for {@code HERMES_REDIS_SENTINELS}. */
    public String sentinelAddresses() {
        return String.join(",", sentinelPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    }

    public List<Integer> sentinelPorts() {
        return List.copyOf(sentinelPorts);
    }

    /** The port of the server the first Sentinel that answers names master now. */
    public int masterPort() {
        for (int port : sentinelPorts) {
            try (Jedis sentinel = new Jedis("127.0.0.1", port, 1000)) {
                return Integer.parseInt(sentinel.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
            } catch (RuntimeException unanswered) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no Sentinel answered");
    }

    /** A plain connection to the server on {@code port}; the caller closes it. */
    public static Jedis server(int port) {
        return new Jedis("127.0.0.1", port, 2000);
    }

    public static URI url(int port) {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Kills the server on {@code port} with SIGKILL (no shutdown, no last write) and waits for it to be gone. */
    public void kill(int port) throws InterruptedException {
        Process process = servers.remove(port);
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor();
    }

    /**
     * Sends {@code signal} ({@code STOP}, {@code CONT}) to the server on {@code port}: a stopped replica
     * falls behind its master without its connection breaking.
     */
    public void signal(int port, String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(servers.get(port).pid()))
                .inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + signal + " exited with " + exit);
        }
    }

    /**
     * Starts a server on {@code port} again, as it was first started: the old master comes back thinking
     * it is master, with no data (no persistence), until the Sentinels make it a replica.
     */
    public void restart(int port) throws IOException {
        startServer(port, null);
    }

    /** Whether the server on {@code port} is a replica of the one on {@code masterPort}, its link up. */
    public static boolean replicaOf(int port, int masterPort) {
        try (Jedis server = server(port)) {
            String info = server.info("replication");
            return info.contains("role:slave") && info.contains("master_port:" + masterPort + "\r\n")
                    && info.contains("master_link_status:up");
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private void startServer(int port, Integer replicaOf) throws IOException {
        List<String> command = new ArrayList<>(List.of(SERVER.getPath(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--dbfilename", "dump-" + port + ".rdb"));
        if (replicaOf != null) {
            command.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(replicaOf)));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile())).start();
        servers.put(port, process);
    }

    private void startSentinel(int index, int master) throws IOException {
        int port = TestRedis.freePort();
        Path config = dir.resolve("sentinel-" + index + ".conf");
        Files.writeString(config, String.join("\n",
                "port " + port, "bind 127.0.0.1", "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfterMillis,
                "sentinel failover-timeout " + MASTER_NAME + " " + failoverTimeoutMillis,
                "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
        sentinels.add(new ProcessBuilder(SENTINEL.getPath(), config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel-" + index + ".log").toFile()).start());
        sentinelPorts.add(port);
    }

    private void awaitReady() throws InterruptedException {
        int[] ports = servers.keySet().stream().mapToInt(Integer::intValue).toArray();
        Await.until(WAIT, () -> replicaOf(ports[1], ports[0]), "the replica is in sync with the master");
        for (int port : sentinelPorts) {
            Await.until(WAIT, () -> knowsEveryone(port), "Sentinel " + port + " knows the replica and two Sentinels");
        }
    }

    private static boolean knowsEveryone(int port) {
        try (Jedis sentinel = new Jedis("127.0.0.1", port, 1000)) {
            return sentinel.sentinelReplicas(MASTER_NAME).size() == 1 && sentinel.sentinelSentinels(MASTER_NAME).size() == 2;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** The directory with every process's log, for a failing test's message. */
    public Path logs() {
        return dir;
    }

    /** Kills every process still running; never throws. */
    @Override
    public void close() {
        List<Process> all = new ArrayList<>(sentinels);
        all.addAll(servers.values());
        for (Process process : all) {
            process.destroyForcibly();
        }
        for (Process process : all) {
            try {
                process.waitFor();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        sentinels.clear();
        servers.clear();
    }
}
