package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.bus.Channel;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    private static final Subscription DOWNLOADS_AND_QUEUE =
            new Subscription(Set.of(Channel.DOWNLOAD, Channel.QUEUE), null, null);
    private static final Subscription ONLY_D1 =
            new Subscription(Set.of(Channel.DOWNLOAD, Channel.QUEUE), "d1", null);

    private static SseFrame on(Channel channel, String downloadId) {
        return SseFrame.event(null, channel.eventType(), "{}", channel, downloadId, null);
    }

    @Test
    void eventsOnASubscribedChannelMatch() {
        assertTrue(DOWNLOADS_AND_QUEUE.matches(on(Channel.DOWNLOAD, "d1")));
        assertTrue(DOWNLOADS_AND_QUEUE.matches(on(Channel.QUEUE, null)));
    }

    @Test
    void eventsOnOtherChannelsDoNotMatch() {
        assertFalse(DOWNLOADS_AND_QUEUE.matches(on(Channel.STATS, null)));
        assertFalse(Subscription.of(Channel.SYSTEM).matches(on(Channel.STORAGE, null)));
    }

    @Test
    void controlFramesMatchEveryone() {
        SseFrame heartbeat = SseFrame.control("heartbeat", "{}");
        assertTrue(DOWNLOADS_AND_QUEUE.matches(heartbeat));
        assertTrue(ONLY_D1.matches(heartbeat));
        assertTrue(new Subscription(Set.of(), null, null).matches(heartbeat));
        assertTrue(new Subscription(Set.of(), null, null).matches(SseFrame.comment("ping")));
    }

    @Test
    void aDownloadFilterKeepsEventsAboutThatDownload() {
        assertTrue(ONLY_D1.matches(on(Channel.DOWNLOAD, "d1")));
        assertTrue(ONLY_D1.matches(on(Channel.QUEUE, "d1")));
    }

    @Test
    void aDownloadFilterDropsEventsAboutAnyOtherDownload() {
        assertFalse(ONLY_D1.matches(on(Channel.DOWNLOAD, "d2")));
        assertFalse(ONLY_D1.matches(on(Channel.QUEUE, "d2")));
        assertFalse(ONLY_D1.matches(on(Channel.DOWNLOAD, "D1")));
    }

    @Test
    void aDownloadFilterDropsDownloadEventsThatNameNoDownload() {
        assertFalse(ONLY_D1.matches(on(Channel.DOWNLOAD, null)));
    }

    @Test
    void aDownloadFilterKeepsOtherChannelsEventsThatNameNoDownload() {
        assertTrue(ONLY_D1.matches(on(Channel.QUEUE, null)));
    }

    @Test
    void aDownloadFilterDoesNotOpenChannelsThatAreNotSubscribed() {
        assertFalse(ONLY_D1.matches(on(Channel.STATS, "d1")));
    }

    @Test
    void theChannelSetIsACopyThatCannotBeChangedLater() {
        Set<Channel> channels = new HashSet<>(Set.of(Channel.QUEUE));
        Subscription subscription = new Subscription(channels, null, null);
        channels.add(Channel.STATS);
        assertEquals(Set.of(Channel.QUEUE), subscription.channels());
        assertThrows(UnsupportedOperationException.class, () -> subscription.channels().add(Channel.STATS));
    }

    @Test
    void anEmptyChannelSetIsAllowedAndMatchesNoChannelEvent() {
        Subscription none = new Subscription(EnumSet.noneOf(Channel.class), null, null);
        for (Channel channel : Channel.values()) {
            assertFalse(none.matches(on(channel, null)));
        }
    }

    @Test
    void aNonAdminStreamNeverCarriesAnotherOwnersDownloadEvent() {
        Subscription alice = new Subscription(Set.of(Channel.DOWNLOAD, Channel.QUEUE, Channel.SYSTEM), null, "alice");
        assertTrue(alice.matches(SseFrame.event(null, "download_progress", "{}", Channel.DOWNLOAD, "d1", "alice")));
        assertFalse(alice.matches(SseFrame.event(null, "download_progress", "{}", Channel.DOWNLOAD, "d2", "bob")));
        assertFalse(alice.matches(SseFrame.event(null, "queue_update", "{}", Channel.QUEUE, "d2", "bob")));
        assertFalse(alice.matches(SseFrame.event(null, "queue_update", "{}", Channel.QUEUE, "d3", null)),
                "an event about a download with no owner is not shown to non-admins");
        assertTrue(alice.matches(SseFrame.event(null, "system_notification", "{}", Channel.SYSTEM, null, null)),
                "notifications are global");
    }

    @Test
    void anAdminStreamCarriesEveryOwnersEvents() {
        Subscription admin = new Subscription(Set.of(Channel.DOWNLOAD), null, null);
        assertTrue(admin.matches(SseFrame.event(null, "download_progress", "{}", Channel.DOWNLOAD, "d2", "bob")));
        assertTrue(admin.matches(SseFrame.event(null, "download_progress", "{}", Channel.DOWNLOAD, "d3", null)));
    }
}
