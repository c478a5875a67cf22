package io.hermes.realtime.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.downloads.Download;
import io.hermes.realtime.downloads.DownloadStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which files a caller may read or delete: those that completed downloads the caller may see (its owner's;
 * every owner's for an admin) name, that exist as regular files inside the download directory. A download
 * names its files in {@code files} (a JSON array, main file first) when it has that field, else in
 * {@code file_path}. Anything else, another owner's file included, is simply not found: callers answer
 * 404 alike for all of it, so no answer tells "exists, not yours" from "does not exist".
 *
 * <p>The downloads are walked newest first, at most {@code scanLimit} of them (see {@code DownloadStore
 * .forEachCompleted}); a lookup stops at the first download that names the path.
 */
final class ManagedFiles {
    private static final System.Logger LOG = System.getLogger(ManagedFiles.class.getName());
    /** Attempts at forgetting a file while other deletions keep changing the same record. */
    private static final int FORGET_ATTEMPTS = 5;

    private final DownloadStore store;
    private final DownloadDirectory directory;
    private final ObjectMapper mapper;
    private final int scanLimit;
    /** Told when deleting a download's main file removed the download (its queue card goes). */
    private final java.util.function.Consumer<Download> removed;

    ManagedFiles(DownloadStore store, DownloadDirectory directory, ObjectMapper mapper, int scanLimit,
            java.util.function.Consumer<Download> removed) {
        this.removed = removed;
        this.store = store;
        this.directory = directory;
        this.mapper = mapper;
        this.scanLimit = scanLimit;
    }

    /** The caller's file at {@code requested} (relative to the download directory), or empty. */
    Optional<ManagedFile> find(Caller caller, String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(find(caller, List.of(requested)).get(requested));
    }

    /**
     * The caller's files among {@code requested} paths, found in one walk that ends once each was met: a path
     * maps to its file, or is left out. The newest download that names a path decides, whether its file is
     * there or not.
     */
    Map<String, ManagedFile> find(Caller caller, Collection<String> requested) {
        Map<String, String> keys = new HashMap<>();
        for (String path : requested) {
            directory.key(path).ifPresent(key -> keys.put(path, key));
        }
        Set<String> pending = new HashSet<>(keys.values());
        Map<String, ManagedFile> byKey = new HashMap<>();
        if (!pending.isEmpty()) {
            store.forEachCompleted(caller.ownerFilter(), scanLimit, download -> {
                for (String stored : download.files(mapper)) {
                    directory.key(stored).filter(pending::remove)
                            .ifPresent(key -> existing(download, stored, key).ifPresent(file -> byKey.put(key, file)));
                }
                return !pending.isEmpty();
            });
        }
        Map<String, ManagedFile> found = new HashMap<>();
        keys.forEach((path, key) -> {
            if (byKey.containsKey(key)) {
                found.put(path, byKey.get(key));
            }
        });
        return found;
    }

    /**
     * Every file of the caller's that exists, newest download first, each download's files in its order; a
     * file that two downloads name comes once, with the newer.
     */
    void forEach(Caller caller, Consumer<ManagedFile> action) {
        Set<String> seen = new HashSet<>();
        store.forEachCompleted(caller.ownerFilter(), scanLimit, download -> {
            for (String stored : download.files(mapper)) {
                directory.key(stored).filter(seen::add).flatMap(key -> existing(download, stored, key))
                        .ifPresent(action);
            }
            return true;
        });
    }

    /**
     * Deletes the file (a symbolic link itself, not what it points to) and makes its download no longer
     * name it. The file goes first: should Redis fail after, the record names a file that is gone, which
     * every endpoint treats as not found.
     *
     * @return the bytes freed
     * @throws IOException when the file could not be deleted; the record is then unchanged
     */
    long delete(ManagedFile file) throws IOException {
        Path path = directory.pathOf(file.key());
        BasicFileAttributes attributes =
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Files.delete(path);
        long freed = attributes.isRegularFile() ? attributes.size() : 0;
        if (file.stored().equals(file.download().get("file_path"))) {
            return freed + removeDownload(file.download(), file.stored());
        }
        forget(file.download().id(), file.stored());
        return freed;
    }

    /**
     * The download's main file is gone, so the download goes too, as upstream's API does (the web app's card
     * waits for it to leave the queue), with the files it wrote beside it: subtitles and thumbnail belong to
     * the video, and nothing would list them once the download is gone.
     *
     * @return the bytes those other files freed
     */
    private long removeDownload(Download download, String mainFile) {
        long freed = 0;
        for (String stored : download.files(mapper)) {
            if (stored.equals(mainFile)) {
                continue;
            }
            Optional<String> key = directory.key(stored);
            if (key.isEmpty()) {
                continue;
            }
            Path beside = directory.pathOf(key.get());
            try {
                BasicFileAttributes attributes =
                        Files.readAttributes(beside, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Files.delete(beside);
                freed += attributes.isRegularFile() ? attributes.size() : 0;
            } catch (IOException gone) {
                // already gone, or not deletable: nothing lists it either way once the record goes
            }
        }
        if (store.delete(download.id()).isPresent()) {
            removed.accept(download);
        }
        return freed;
    }

    private void forget(String id, String stored) {
        for (int attempt = 0; attempt < FORGET_ATTEMPTS; attempt++) {
            Optional<Download> current = store.find(id);
            if (current.isEmpty()) {
                return; // the download itself was deleted meanwhile
            }
            String before = current.get().get("files");
            DownloadStore.Forgetting outcome = store.forgetFile(id, stored, before, without(before, stored));
            if (outcome != DownloadStore.Forgetting.CHANGED) {
                return;
            }
        }
        LOG.log(Level.WARNING, "Download {0} still names the deleted file {1}: its files kept changing", id, stored);
    }

    /** {@code files} without {@code stored}, as JSON; {@code null} stays {@code null}, unreadable stays as it is. */
    private String without(String files, String stored) {
        if (files == null) {
            return null;
        }
        try {
            JsonNode array = mapper.readTree(files);
            if (array == null || !array.isArray()) {
                return files;
            }
            ArrayNode kept = mapper.createArrayNode();
            array.forEach(item -> {
                if (!(item.isTextual() && item.textValue().equals(stored))) {
                    kept.add(item);
                }
            });
            return mapper.writeValueAsString(kept);
        } catch (JsonProcessingException malformed) {
            return files;
        }
    }

    private Optional<ManagedFile> existing(Download download, String stored, String key) {
        return directory.regularFile(key)
                .map(found -> new ManagedFile(download, stored, key, found.real(), found.size(), found.modified()));
    }
}
