package io.hermes.realtime.storage;

import io.hermes.realtime.storage.StorageReport.CleanupRecommendation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link StorageUsage} of the local file system. Total, used and free space are read from the download
 * directory's {@link FileStore} on every call (cheap system calls; the store itself is found once); the
 * two directory walks and the cleanup suggestions are cached for {@link #CACHE_FOR}, or until
 * {@link #invalidate()}.
 *
 * <p>Limits, stated honestly: sizes are apparent sizes (the lengths of regular files; symbolic links are
 * not followed), not allocated blocks; a file that vanishes or cannot be read during a walk is skipped.
 * Used space is what the file system reports as allocated ({@code total - unallocated}, like {@code df}),
 * free space is what this process may still use ({@code usable}), so used + free can be less than total
 * on file systems that reserve blocks for root.
 */
final class DiskUsage implements StorageUsage {
    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    /** Temp files untouched for this long are left over from transfers that ended. */
    static final Duration TEMP_FILE_AGE = Duration.ofHours(24);
    /**
     * A {@code .part} file is written continuously while its transfer runs; one untouched for an hour
     * belongs to a transfer that died, so suggesting it never removes a live download.
     */
    static final Duration PARTIAL_FILE_AGE = Duration.ofHours(1);
    static final String PARTIAL_SUFFIX = ".part";

    private final Path downloadDir;
    private final Path tempDir;
    private final Clock clock;
    /** Bumped by {@link #invalidate()}; a scan taken under an older generation is stale. */
    private final AtomicLong generation = new AtomicLong();
    /** One walk at a time: concurrent polls after expiry wait for it instead of walking the tree again. */
    private final Object walkLock = new Object();
    private volatile Scan cached;
    private volatile FileStore fileStore;

    DiskUsage(Path downloadDir, Path tempDir, Clock clock) {
        this.downloadDir = downloadDir.toAbsolutePath().normalize();
        this.tempDir = tempDir.toAbsolutePath().normalize();
        this.clock = clock;
        createIfMissing(this.downloadDir, "download");
        createIfMissing(this.tempDir, "temp");
    }

    @Override
    public StorageReport current() {
        Scan scan = scan();
        long total;
        long unallocated;
        long usable;
        try {
            FileStore store = fileStore();
            total = store.getTotalSpace();
            unallocated = store.getUnallocatedSpace();
            usable = store.getUsableSpace();
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Cannot read the file system of " + downloadDir, unreadable);
        }
        long used = Math.max(0, total - unallocated);
        return new StorageReport(total, used, usable, percentage(used, total), downloadDir.toString(),
                tempDir.toString(), scan.downloadsSize(), scan.tempSize(), scan.recommendations());
    }

    @Override
    public long downloadsSize() {
        return scan().downloadsSize();
    }

    /**
     * The download directory's file store, looked up once: on Linux the JDK finds it by reading the
     * whole mount table, which cost more than the rest of a {@code /storage} request. A directory's file
     * system does not change while it is in use; one mounted over it later is not noticed until restart.
     */
    private FileStore fileStore() throws IOException {
        FileStore store = fileStore;
        if (store == null) {
            store = Files.getFileStore(downloadDir);
            fileStore = store;
        }
        return store;
    }

    @Override
    public void invalidate() {
        generation.incrementAndGet();
    }

    /** {@code used / total} as a percentage rounded to two decimals; 0 for an empty (or unknown) file system. */
    static double percentage(long used, long total) {
        if (total <= 0) {
            return 0.0;
        }
        return Math.min(100.0, Math.round(used * 10_000.0 / total) / 100.0);
    }

    private Scan scan() {
        Scan last = cached;
        if (isFresh(last)) {
            return last;
        }
        synchronized (walkLock) {
            last = cached;
            if (isFresh(last)) {
                return last;
            }
            // Read the generation before walking: an invalidate() during the walk leaves this scan stale.
            long walkedGeneration = generation.get();
            Instant now = clock.instant();
            Scan fresh = walk(walkedGeneration, now);
            cached = fresh;
            return fresh;
        }
    }

    private boolean isFresh(Scan scan) {
        if (scan == null || scan.generation() != generation.get()) {
            return false;
        }
        Instant now = clock.instant();
        // A clock that went backwards also expires the cache rather than freezing it.
        return !now.isBefore(scan.takenAt()) && now.isBefore(scan.takenAt().plus(CACHE_FOR));
    }

    private Scan walk(long walkedGeneration, Instant now) {
        // Someone may have removed a directory since start-up; the worker needs them, so put them back.
        createIfMissing(downloadDir, "download");
        createIfMissing(tempDir, "temp");
        // Walk the real directories: a root that is a symbolic link (say to a mounted disk) would otherwise
        // be visited as a single link of size 0. Each tree skips the other when one is nested inside the
        // other, so no byte is counted twice.
        Path realDownloads = real(downloadDir);
        Path realTemp = real(tempDir);
        Tally downloads = Tally.of(realDownloads, realTemp, PARTIAL_SUFFIX, now.minus(PARTIAL_FILE_AGE));
        Tally temp = Tally.of(realTemp, realDownloads, null, now.minus(TEMP_FILE_AGE));

        List<CleanupRecommendation> recommendations = new ArrayList<>();
        if (temp.reclaimableCount > 0) {
            recommendations.add(new CleanupRecommendation("temp_files",
                    "Temporary files not modified for more than 24 hours", temp.reclaimableBytes,
                    clampCount(temp.reclaimableCount)));
        }
        if (downloads.reclaimableCount > 0) {
            recommendations.add(new CleanupRecommendation("partial_downloads",
                    "Unfinished downloads (.part files) not modified for more than an hour",
                    downloads.reclaimableBytes, clampCount(downloads.reclaimableCount)));
        }
        long emptyDirectories = downloads.emptyDirectories + temp.emptyDirectories;
        if (emptyDirectories > 0) {
            // An empty directory holds no file data; it is suggested for tidiness, not for space.
            recommendations.add(new CleanupRecommendation("empty_directories",
                    "Empty directories inside the download and temp directories", 0, clampCount(emptyDirectories)));
        }
        return new Scan(walkedGeneration, now, downloads.bytes, temp.bytes, List.copyOf(recommendations));
    }

    private static Path real(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException vanished) {
            return directory;
        }
    }

    private static int clampCount(long count) {
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    private static void createIfMissing(Path directory, String which) {
        try {
            Files.createDirectories(directory);
        } catch (IOException failed) {
            throw new UncheckedIOException("Cannot create the " + which + " directory " + directory + ": " + failed,
                    failed);
        }
    }

    private record Scan(long generation, Instant takenAt, long downloadsSize, long tempSize,
            List<CleanupRecommendation> recommendations) {
    }

    /**
     * One walk of one tree: the bytes of its regular files, the files that could be reclaimed (older
     * than a cutoff, optionally with a given suffix) and the empty directories below the root.
     */
    private static final class Tally implements FileVisitor<Path> {
        private final Path root;
        private final Path skip;
        private final String reclaimableSuffix;
        private final Instant reclaimableBefore;
        /** Entry counts of the directories being walked, innermost on top. */
        private final Deque<long[]> entries = new ArrayDeque<>();
        long bytes;
        long reclaimableBytes;
        long reclaimableCount;
        long emptyDirectories;

        private Tally(Path root, Path skip, String reclaimableSuffix, Instant reclaimableBefore) {
            this.root = root;
            this.skip = skip;
            this.reclaimableSuffix = reclaimableSuffix;
            this.reclaimableBefore = reclaimableBefore;
        }

        static Tally of(Path root, Path skip, String reclaimableSuffix, Instant reclaimableBefore) {
            Tally tally = new Tally(root, skip, reclaimableSuffix, reclaimableBefore);
            try {
                Files.walkFileTree(root, tally);
            } catch (IOException impossible) {
                // The visitor never throws; walkFileTree reports failures through visitFileFailed.
                throw new UncheckedIOException(impossible);
            }
            return tally;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            countEntry();
            if (!dir.equals(root) && dir.equals(skip)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            entries.push(new long[1]);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            countEntry();
            if (attrs.isRegularFile()) {
                bytes += attrs.size();
                if (isReclaimable(file, attrs)) {
                    reclaimableBytes += attrs.size();
                    reclaimableCount++;
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException failure) {
            // Vanished mid-walk or unreadable: skipped, but it still makes its parent non-empty.
            countEntry();
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) {
            long[] count = entries.pop();
            if (count[0] == 0 && failure == null && !dir.equals(root)) {
                emptyDirectories++;
            }
            return FileVisitResult.CONTINUE;
        }

        private void countEntry() {
            long[] parent = entries.peek();
            if (parent != null) {
                parent[0]++;
            }
        }

        private boolean isReclaimable(Path file, BasicFileAttributes attrs) {
            if (reclaimableSuffix != null) {
                Path name = file.getFileName();
                if (name == null || !name.toString().endsWith(reclaimableSuffix)) {
                    return false;
                }
            }
            return attrs.lastModifiedTime().toInstant().isBefore(reclaimableBefore);
        }
    }
}
