package io.hermes.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The packaged WAR carries the application and its runtime libraries, and nothing meant for development. */
class PackagingIT {

    @Test
    void warHoldsNoEmbeddedRedisNoTestClassesAndNoServletApi() throws IOException {
        Path war = packagedWar();
        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(entries::add);
        }
        assertTrue(entries.contains("WEB-INF/web.xml"));
        assertTrue(entries.contains("WEB-INF/classes/io/hermes/realtime/app/HermesApplication.class"));
        assertTrue(entries.contains("WEB-INF/classes/io/hermes/realtime/bus/publish.lua"));
        List<String> forbidden = entries.stream()
                .filter(name -> name.contains("embedded-redis") || name.contains("redis-server")
                        || name.contains("EmbeddedDevRedis") || name.contains("META-INF/services/io.hermes")
                        || name.contains("servlet-api") || name.contains("jetty") || name.contains("junit"))
                .toList();
        assertEquals(List.of(), forbidden);
    }

    private static Path packagedWar() throws IOException {
        try (DirectoryStream<Path> wars = Files.newDirectoryStream(Path.of("target"), "hermes-realtime-*.war")) {
            for (Path war : wars) {
                return war;
            }
        }
        throw new AssertionError("no WAR in target/: integration tests run after `package`");
    }
}
