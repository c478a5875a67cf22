package io.hermes.realtime.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * The download directory as the files endpoints see it: turns a path a client or a record gives into the
 * one name it has here (its key), and finds the regular file behind a key without ever leaving the
 * directory, symbolic links included.
 *
 * <p>A key is the path relative to the directory after normalisation, with {@code /} between names
 * ({@code a/./b/../c.mp4} is {@code a/c.mp4}). Two spellings of one path have one key; a path that is
 * absolute, empty, holds a NUL, or climbs out with {@code ..} has none.
 */
final class DownloadDirectory {
    private final Path root;

    /** @param root the download directory; it exists (the storage module creates it at start-up) */
    DownloadDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The key of a path relative to the directory, or empty when it names nothing inside it. */
    Optional<String> key(String relative) {
        return inside(relative).filter(path -> !path.equals(root)).map(this::keyOf);
    }

    /**
     * The key of a directory below the download directory, for filtering by it: {@code ""} for the
     * download directory itself, empty when it names no place inside it.
     */
    Optional<String> directoryKey(String relative) {
        return inside(relative).map(this::keyOf);
    }

    private Optional<Path> inside(String relative) {
        if (relative == null || relative.isEmpty() || relative.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path given;
        try {
            given = Path.of(relative);
        } catch (InvalidPathException unusable) {
            return Optional.empty();
        }
        if (given.isAbsolute() || given.getRoot() != null) {
            return Optional.empty(); // names are relative to the directory, as the records store them
        }
        Path path = root.resolve(given).normalize();
        return path.startsWith(root) ? Optional.of(path) : Optional.empty();
    }

    private String keyOf(Path path) {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    /**
     * The regular file a key names, as its real path, when that lies inside the directory's real path: a
     * symbolic link anywhere on the way (the file, a directory) may point within the directory, never out
     * of it. Empty for anything else: missing, outside, a directory, unreadable.
     */
    Optional<Found> regularFile(String key) {
        try {
            Path rootReal = root.toRealPath();
            Path real = root.resolve(key).toRealPath();
            if (!real.startsWith(rootReal) || real.equals(rootReal)) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new Found(real, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (IOException | InvalidPathException | SecurityException unreachable) {
            return Optional.empty();
        }
    }

    /** The path a key names before links are followed: what deleting the file removes (a link, not its target). */
    Path pathOf(String key) {
        return root.resolve(key).normalize();
    }

    /** A regular file found inside the directory: its real path, size and last change, as read just now. */
    record Found(Path real, long size, Instant modified) {
    }
}
