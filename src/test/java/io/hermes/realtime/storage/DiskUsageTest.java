package io.hermes.realtime.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.storage.StorageReport.CleanupRecommendation;
import io.hermes.realtime.testing.MutableClock;
import io.hermes.realtime.testing.Skip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUsageTest {
    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private Path downloads;
    private Path temp;

    @BeforeEach
    void directories() {
        downloads = root.resolve("downloads");
        temp = root.resolve("temp");
    }

    private StorageUsage usage() {
        return StorageModule.usage(downloads, temp, clock);
    }

    private Path file(Path path, int bytes) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[bytes]);
        return path;
    }

    private void age(Path path, Duration by) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(clock.instant().minus(by)));
    }

    @Test
    void missingDirectoriesAreCreatedAndReportedAbsoluteAndNormalized() {
        Path winding = root.resolve("x/../downloads");
        StorageReport report = StorageModule.usage(winding, temp, clock).current();
        assertTrue(Files.isDirectory(downloads));
        assertTrue(Files.isDirectory(temp));
        assertEquals(downloads.toAbsolutePath().normalize().toString(), report.downloadDirectory());
        assertEquals(temp.toAbsolutePath().normalize().toString(), report.tempDirectory());
    }

    @Test
    void relativeDirectoriesAreReportedAbsolute() throws IOException {
        Path relative = Path.of("").toAbsolutePath().relativize(downloads);
        StorageReport report = StorageModule.usage(relative, temp, clock).current();
        assertEquals(downloads.toAbsolutePath().normalize().toString(), report.downloadDirectory());
    }

    @Test
    void sizesAreTheSumOfTheRegularFilesInEachTree() throws IOException {
        StorageUsage usage = usage();
        file(downloads.resolve("a.mp4"), 1000);
        file(downloads.resolve("show/s01/e01.mkv"), 2500);
        file(temp.resolve("chunk.bin"), 70);
        StorageReport report = usage.current();
        assertEquals(3500, report.downloadsSize());
        assertEquals(70, report.tempSize());
    }

    @Test
    void diskNumbersComeFromTheDownloadDirectorysFileSystem() throws IOException {
        StorageReport report = usage().current();
        long total = Files.getFileStore(downloads).getTotalSpace();
        assertEquals(total, report.totalSpace());
        assertTrue(report.usedSpace() >= 0 && report.usedSpace() <= total);
        assertTrue(report.freeSpace() >= 0 && report.freeSpace() <= total);
        assertEquals(DiskUsage.percentage(report.usedSpace(), report.totalSpace()), report.usagePercentage());
        assertTrue(report.usagePercentage() >= 0 && report.usagePercentage() <= 100);
    }

    @Test
    void usagePercentageIsRoundedToTwoDecimals() {
        assertEquals(33.33, DiskUsage.percentage(1, 3));
        assertEquals(66.67, DiskUsage.percentage(2, 3));
        assertEquals(100.0, DiskUsage.percentage(5, 5));
        assertEquals(0.0, DiskUsage.percentage(0, 0), "an unknown file system is not a division by zero");
    }

    @Test
    void sizesAreCachedForThirtySecondsThenWalkedAgain() throws IOException {
        StorageUsage usage = usage();
        file(downloads.resolve("a.mp4"), 100);
        assertEquals(100, usage.current().downloadsSize());

        file(downloads.resolve("b.mp4"), 50);
        clock.advance(Duration.ofSeconds(29));
        assertEquals(100, usage.current().downloadsSize(), "still the cached walk");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(150, usage.current().downloadsSize(), "expired after 30 s");
    }

    @Test
    void invalidateMakesTheNextReadingWalkAgain() throws IOException {
        StorageUsage usage = usage();
        assertEquals(0, usage.current().downloadsSize());
        assertEquals(0, usage.current().tempSize());
        Path landed = file(downloads.resolve("landed.mp4"), 4096);
        file(temp.resolve("landed.part"), 10);
        assertEquals(0, usage.current().downloadsSize(), "cached until told");

        usage.invalidate();
        StorageReport after = usage.current();
        assertEquals(4096, after.downloadsSize());
        assertEquals(10, after.tempSize());

        Files.delete(landed);
        usage.invalidate();
        assertEquals(0, usage.current().downloadsSize());
    }

    @Test
    void aClockThatGoesBackExpiresTheCache() throws IOException {
        StorageUsage usage = usage();
        assertEquals(0, usage.current().downloadsSize());
        file(downloads.resolve("a.mp4"), 5);
        clock.advance(Duration.ofMinutes(-5));
        assertEquals(5, usage.current().downloadsSize());
    }

    @Test
    void nothingToSuggestIsAnEmptyList() throws IOException {
        file(downloads.resolve("fresh.mp4"), 10);
        file(temp.resolve("fresh.tmp"), 10);
        Path running = file(downloads.resolve("running.mp4.part"), 10);
        age(running, Duration.ofMinutes(5));
        assertEquals(List.of(), usage().current().cleanupRecommendations());
    }

    @Test
    void oldTempFilesStalePartsAndEmptyDirectoriesAreSuggested() throws IOException {
        age(file(temp.resolve("old-1.tmp"), 400), Duration.ofHours(25));
        age(file(temp.resolve("nested/old-2.tmp"), 600), Duration.ofDays(3));
        age(file(temp.resolve("recent.tmp"), 50), Duration.ofHours(23));
        age(file(downloads.resolve("show/e01.mkv.part"), 300), Duration.ofHours(2));
        age(file(downloads.resolve("e02.mkv.part"), 7), Duration.ofMinutes(10));
        age(file(downloads.resolve("old-but-finished.mkv"), 9), Duration.ofDays(90));
        Files.createDirectories(downloads.resolve("empty-a"));
        Files.createDirectories(downloads.resolve("parent/empty-b"));
        Files.createDirectories(temp.resolve("empty-c"));

        assertEquals(List.of(
                new CleanupRecommendation("temp_files", "Temporary files not modified for more than 24 hours", 1000, 2),
                new CleanupRecommendation("partial_downloads",
                        "Unfinished downloads (.part files) not modified for more than an hour", 300, 1),
                new CleanupRecommendation("empty_directories",
                        "Empty directories inside the download and temp directories", 0, 3)),
                usage().current().cleanupRecommendations());
    }

    @Test
    void aTempDirectoryInsideTheDownloadDirectoryIsCountedOnce() throws IOException {
        temp = downloads.resolve(".incoming");
        file(downloads.resolve("a.mp4"), 100);
        file(temp.resolve("b.part"), 20);
        StorageReport report = usage().current();
        assertEquals(100, report.downloadsSize());
        assertEquals(20, report.tempSize());
        assertEquals(List.of(), report.cleanupRecommendations(), "the temp directory is not an empty directory");
    }

    @Test
    void aDownloadDirectoryThatIsASymbolicLinkIsWalkedThrough() throws IOException {
        Path disk = root.resolve("mounted-disk");
        file(disk.resolve("a.mp4"), 640);
        try {
            Files.createSymbolicLink(downloads, disk);
        } catch (UnsupportedOperationException | IOException noLinks) {
            Skip.because("this file system cannot create symbolic links: " + noLinks);
        }
        StorageReport report = usage().current();
        assertEquals(640, report.downloadsSize());
        assertEquals(downloads.toAbsolutePath().normalize().toString(), report.downloadDirectory(),
                "reported as configured");
    }

    @Test
    void aDeletedDirectoryIsCreatedAgainAndReadsAsEmpty() throws IOException {
        StorageUsage usage = usage();
        Files.delete(temp);
        usage.invalidate();
        assertEquals(0, usage.current().tempSize());
        assertTrue(Files.isDirectory(temp));
    }
}
