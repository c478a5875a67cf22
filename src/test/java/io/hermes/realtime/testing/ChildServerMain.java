package io.hermes.realtime.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a server in a JVM of its own ({@link ServerProcess}), so a test can kill it for real.
 * Arguments: the Redis URL, the file to write the HTTP port to once started, then settings as
 * {@code NAME=VALUE}. It runs until the process ends.
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws Exception {
        URI redis = URI.create(args[0]);
        Path portFile = Path.of(args[1]);
        Map<String, String> settings = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            settings.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        TestServer server = TestServer.start(TestRedis.at(redis), settings);
        // Written whole, then renamed, so the parent never reads half a number.
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
        Files.writeString(partial, Integer.toString(server.port()));
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
