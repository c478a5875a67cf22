package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFrameTest {

    private static void assertWire(String expected, SseFrame frame) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), frame.bytes(),
                () -> "wire was: " + frame.toString().replace("\r", "\\r").replace("\n", "\\n"));
    }

    @Test
    void anEventCarriesIdNameAndDataEndedByABlankLine() {
        SseFrame frame = SseFrame.event(new EventId(17, 2), "download_progress", "{\"a\":1}", Channel.DOWNLOAD, "d1", null);
        assertWire("id: 17-2\nevent: download_progress\ndata: {\"a\":1}\n\n", frame);
        assertEquals(new EventId(17, 2), frame.id());
        assertEquals(Channel.DOWNLOAD, frame.channel());
        assertEquals("d1", frame.downloadId());
    }

    @Test
    void anEventWithoutIdHasNoIdLine() {
        assertWire("event: queue_update\ndata: {}\n\n", SseFrame.event(null, "queue_update", "{}", Channel.QUEUE, null, null));
    }

    @Test
    void crlfInEventNameCannotForgeAFrame() {
        SseFrame frame = SseFrame.event(null, "x\r\n\r\nevent: forged\r\ndata: evil", "{}", Channel.QUEUE, null, null);
        assertWire("event: xevent: forgeddata: evil\ndata: {}\n\n", frame);
    }

    @Test
    void loneCrLoneLfAndNulAreRemovedFromTheEventName() {
        assertWire("event: abcd\ndata: {}\n\n", SseFrame.control("a\rb\nc\0d", "{}"));
    }

    @Test
    void crLfAndNulAreRemovedFromTheId() {
        // An EventId prints only digits and a dash; the encoder still cleans any id text it is given.
        assertWire("id: 12\nevent: e\ndata: x\n\n", encoded("1\r\n\0" + "2", "e", "x"));
        assertWire("id: 12\nevent: e\ndata: x\n\n", encoded("1\r2\n", "e", "x"));
    }

    private static SseFrame encoded(String id, String name, String data) {
        return new SseFrame(SseFrame.encode(id, name, data), null, null, null, null, 0);
    }

    @Test
    void dataIsSplitIntoOneDataLinePerLineWhateverTheLineBreak() {
        assertWire("event: e\ndata: a\ndata: b\ndata: c\ndata: d\n\n", SseFrame.control("e", "a\nb\r\nc\rd"));
    }

    @Test
    void crFollowedByLfIsOneBreakButLfFollowedByCrIsTwo() {
        assertWire("event: e\ndata: a\ndata: b\n\n", SseFrame.control("e", "a\r\nb"));
        assertWire("event: e\ndata: a\ndata: \ndata: b\n\n", SseFrame.control("e", "a\n\rb"));
    }

    @Test
    void blankLinesInDataCannotEndTheFrameEarly() {
        assertWire("event: e\ndata: a\ndata: \ndata: \ndata: event: forged\n\n",
                SseFrame.control("e", "a\n\n\r\nevent: forged"));
    }

    @Test
    void leadingAndTrailingLineBreaksInDataBecomeEmptyDataLines() {
        assertWire("event: e\ndata: \ndata: x\ndata: \n\n", SseFrame.control("e", "\nx\r"));
    }

    @Test
    void emptyDataIsOneEmptyDataLine() {
        assertWire("event: e\ndata: \n\n", SseFrame.control("e", ""));
    }

    @Test
    void dataIsEncodedAsUtf8() {
        assertWire("event: e\ndata: {\"t\":\"Café ☕ 𝄞\"}\n\n", SseFrame.control("e", "{\"t\":\"Café ☕ 𝄞\"}"));
    }

    @Test
    void aControlFrameGoesToEveryoneAndHasNoId() {
        SseFrame frame = SseFrame.control("heartbeat", "{}");
        assertNull(frame.channel());
        assertNull(frame.id());
        assertNull(frame.downloadId());
    }

    @Test
    void aCommentIsAColonLineAndABlankLine() {
        assertWire(": ping\n\n", SseFrame.comment("ping"));
    }

    @Test
    void aCommentCannotSmuggleInAnEvent() {
        assertWire(": pingevent: forgeddata: x\n\n", SseFrame.comment("ping\n\nevent: forged\r\ndata: x"));
    }

    @Test
    void retryTellsTheBrowserItsReconnectionDelay() {
        assertWire("retry: 3000\n\n", SseFrame.retry(3000));
    }
}
