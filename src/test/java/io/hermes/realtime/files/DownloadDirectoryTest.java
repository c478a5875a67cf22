package io.hermes.realtime.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadDirectoryTest {
    @TempDir
    Path downloads;
    @TempDir
    Path elsewhere;

    @Test
    void spellingsOfOnePathHaveOneKey() {
        DownloadDirectory directory = new DownloadDirectory(downloads);
        assertEquals(Optional.of("a/c.mp4"), directory.key("a/./b/../c.mp4"));
        assertEquals(Optional.of("a/c.mp4"), directory.key("a//c.mp4"));
        assertEquals(Optional.of("c.mp4"), directory.key("./c.mp4"));
    }

    @Test
    void pathsThatLeaveOrAreNotRelativeHaveNoKey() {
        DownloadDirectory directory = new DownloadDirectory(downloads);
        for (String refused : new String[] {"../x", "a/../../x", "..", ".", "", "/etc/passwd",
            downloads.resolve("c.mp4").toString(), "a\0b"}) {
            assertEquals(Optional.empty(), directory.key(refused), refused);
        }
        assertEquals(Optional.empty(), directory.key(null));
    }

    @Test
    void aDirectoryFilterMayNameTheDownloadDirectoryItself() {
        DownloadDirectory directory = new DownloadDirectory(downloads);
        assertEquals(Optional.of(""), directory.directoryKey("."));
        assertEquals(Optional.of("music"), directory.directoryKey("music/"));
        assertEquals(Optional.empty(), directory.directoryKey("../music"));
    }

    @Test
    void aRegularFileInsideIsFoundWithItsSize() throws Exception {
        Files.createDirectories(downloads.resolve("a"));
        Files.write(downloads.resolve("a/c.mp4"), new byte[123]);
        DownloadDirectory.Found found = new DownloadDirectory(downloads).regularFile("a/c.mp4").orElseThrow();
        assertEquals(123, found.size());
        assertEquals(downloads.toRealPath().resolve("a/c.mp4"), found.real());
    }

    @Test
    void missingFilesAndDirectoriesAreNotFound() throws Exception {
        Files.createDirectories(downloads.resolve("a"));
        DownloadDirectory directory = new DownloadDirectory(downloads);
        assertTrue(directory.regularFile("a").isEmpty());
        assertTrue(directory.regularFile("missing.mp4").isEmpty());
    }

    @Test
    void aLinkPointingOutsideIsNotFoundButOneWithinIs() throws Exception {
        Files.writeString(elsewhere.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(downloads.resolve("leak.txt"), elsewhere.resolve("secret.txt"));
        Files.createSymbolicLink(downloads.resolve("outside"), elsewhere);
        Files.writeString(downloads.resolve("real.txt"), "mine");
        Files.createSymbolicLink(downloads.resolve("alias.txt"), downloads.resolve("real.txt"));
        DownloadDirectory directory = new DownloadDirectory(downloads);
        assertTrue(directory.regularFile("leak.txt").isEmpty());
        assertTrue(directory.regularFile("outside/secret.txt").isEmpty());
        assertEquals(4, directory.regularFile("alias.txt").orElseThrow().size());
    }
}
