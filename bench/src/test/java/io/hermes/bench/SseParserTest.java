package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    /** Everything the parser reported, as text, so a whole stream's outcome is one assertion. */
    private static final class Recorder implements SseListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onEvent(String lastEventId, String type, String data) {
            seen.add("event id=" + lastEventId + " type=" + type + " data=" + data);
        }

        @Override
        public void onComment(String text) {
            seen.add("comment " + text);
        }

        @Override
        public void onRetry(long millis) {
            seen.add("retry " + millis);
        }
    }

    @Test
    void dispatchesAnEventWithItsIdTypeAndMultiLineData() {
        assertEquals(List.of("event id=7 type=queue_update data={\"a\":1}\n{\"b\":2}"),
                parseWhole("id: 7\nevent: queue_update\ndata: {\"a\":1}\ndata: {\"b\":2}\n\n"));
    }

    @Test
    void aParserForAReconnectionKeepsTheLastEventIdUntilTheStreamSetsAnother() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder, "1-5");
        feed(parser, "event: connected\ndata: {}\n\nid: 1-6\nevent: queue_update\ndata: x\n\n");
        assertEquals(List.of("event id=1-5 type=connected data={}", "event id=1-6 type=queue_update data=x"),
                recorder.seen);
    }

    @Test
    void treatsCrLfLfAndCrAsLineEndsAlike() {
        List<String> expected = List.of("event id= type=message data=a\nb", "event id= type=x data=c");
        assertEquals(expected, parseWhole("data: a\ndata: b\n\nevent: x\ndata: c\n\n"));
        assertEquals(expected, parseWhole("data: a\r\ndata: b\r\n\r\nevent: x\r\ndata: c\r\n\r\n"));
        assertEquals(expected, parseWhole("data: a\rdata: b\r\revent: x\rdata: c\r\r"));
    }

    @Test
    void givesTheSameEventsWhenFedOneByteAtATime() {
        String stream = "retry: 3000\r\n\r\nevent: connected\r\ndata: {\"x\":\"é€\"}\r\n\r\n: ping\r\r"
                + "id: 1-0\revent: queue_update\rdata: 1\r\r";
        Recorder bytewise = new Recorder();
        SseParser parser = new SseParser(bytewise);
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
        }
        assertEquals(parseWhole(stream), bytewise.seen);
        assertEquals("event id= type=connected data={\"x\":\"é€\"}", bytewise.seen.get(1));
    }

    @Test
    void aCrAtTheEndOfOneReadAndAnLfAtTheStartOfTheNextEndOneLineOnly() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        feed(parser, "data: a\r");
        feed(parser, "\ndata: b\r");
        feed(parser, "\n\r");
        feed(parser, "\n");
        assertEquals(List.of("event id= type=message data=a\nb"), recorder.seen);
    }

    @Test
    void reportsCommentsAndRetryWithoutDispatching() {
        assertEquals(List.of("retry 2500", "comment  ping", "comment"),
                parseWhole("retry: 2500\n: ping\n:\n\n").stream().map(String::trim).toList());
    }

    @Test
    void ignoresARetryThatIsNotAllDigits() {
        assertEquals(List.of(), parseWhole("retry: 12a\nretry:\n\n"));
    }

    @Test
    void doesNotDispatchAnEventWithoutDataAndForgetsItsType() {
        assertEquals(List.of("event id= type=message data=x"), parseWhole("event: lonely\n\ndata: x\n\n"));
    }

    @Test
    void keepsTheLastEventIdAcrossEventsUntilChanged() {
        assertEquals(List.of("event id=5 type=message data=a", "event id=5 type=message data=b",
                        "event id= type=message data=c"),
                parseWhole("id: 5\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"));
    }

    @Test
    void removesOnlyOneSpaceAfterTheColonAndAllowsAFieldWithoutOne() {
        assertEquals(List.of("event id= type=message data=x\n  y\n"), parseWhole("data:x\ndata:   y\ndata\n\n"));
    }

    @Test
    void ignoresUnknownFieldsAndALeadingByteOrderMark() {
        assertEquals(List.of("event id= type=message data=ok"), parseWhole("\uFEFFfoo: bar\ndata: ok\n\n"));
    }

    @Test
    void waitsForTheBlankLineBeforeDispatching() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        feed(parser, "event: queue_update\ndata: 1\n");
        assertEquals(List.of(), recorder.seen);
        feed(parser, "\n");
        assertEquals(1, recorder.seen.size());
    }

    private static List<String> parseWhole(String stream) {
        Recorder recorder = new Recorder();
        feed(new SseParser(recorder), stream);
        return recorder.seen;
    }

    private static void feed(SseParser parser, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }
}
