package io.hermes.realtime.stream;

import io.hermes.realtime.bus.Channel;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one stream wants: a set of channels, optionally narrowed to one download.
 *
 * @param channels   the channels whose events it receives
 * @param downloadId when set, events about any other download are dropped, as are download events
 *                   that name no download
 */
public record Subscription(Set<Channel> channels, String downloadId) {

    public Subscription {
        channels = channels.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(channels));
    }

    public static Subscription of(Channel channel) {
        return new Subscription(Set.of(channel), null);
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
        if (downloadId == null) {
            return true;
        }
        String about = frame.downloadId();
        return about == null ? channel != Channel.DOWNLOAD : downloadId.equals(about);
    }
}
