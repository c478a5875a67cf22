package io.hermes.realtime.stream;

import io.hermes.realtime.bus.Channel;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one stream wants, and may see.
 *
 * @param channels   the channels whose events it receives
 * @param downloadId when set, events about any other download are dropped, as are download events
 *                   that name no download; a session stream sets it to its session's id, which session events
 *                   name in {@code session_id} (see {@code Channel#subjectField})
 * @param owner      when set (non-admin callers), events about a download are delivered only if they
 *                   carry this owner; events that concern no download (notifications, storage) pass
 */
record Subscription(Set<Channel> channels, String downloadId, String owner) {

    public Subscription {
        channels = channels.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(channels));
    }

    /** One channel, every download, every owner. */
    public static Subscription of(Channel channel) {
        return new Subscription(Set.of(channel), null, null);
    }

    /** Whether a frame belongs on this stream; frames without a channel go to everyone. */
    public boolean matches(SseFrame frame) {
        Channel channel = frame.channel();
        if (channel == null) {
            return true;
        }
        if (!channels.contains(channel)) {
            return false;
        }
        String about = frame.downloadId();
        if (owner != null && about != null && !owner.equals(frame.owner())) {
            return false;
        }
        if (downloadId == null) {
            return true;
        }
        return about == null ? channel != Channel.DOWNLOAD && channel != Channel.SESSION : downloadId.equals(about);
    }
}
