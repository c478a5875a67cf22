package io.hermes.realtime.downloads;

import io.hermes.realtime.auth.Caller;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/** Who owns a download, read from its record {@code hermes:download:{id}}: the basis of every visibility check. */
public final class DownloadOwners {
    private final UnifiedJedis redis;

    public DownloadOwners(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** The owner of an existing download; empty for unknown or malformed ids. */
    public Optional<String> ownerOf(String downloadId) {
        if (!DownloadIds.isWellFormed(downloadId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.hget(DownloadIds.recordKey(downloadId), "owner"));
    }

    /** Whether the download exists and {@code caller} may see it; callers answer 404 otherwise. */
    public boolean isVisible(String downloadId, Caller caller) {
        return ownerOf(downloadId).map(caller::canSee).orElse(false);
    }
}
