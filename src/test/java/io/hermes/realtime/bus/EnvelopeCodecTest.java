package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCodecTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    private BusEvent decode(String message) throws MalformedEnvelopeException {
        return codec.decode(Channel.DOWNLOAD, message, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"price\":1.50,\"big\":1e3,\"neg\":-0.0,\"huge\":123456789012345678901234567890}",
            "{\"title\":\"Café ☕ 𝄞\",\"escaped\":\"\\u00e9\\n\\\"q\\\"\"}",
            "{ \"spaced\" :  [ 1 , 2 ] ,\n  \"deep\": {\"a\": {\"b\": [{\"c\": null}]}} }",
            "{}"})
    void dataIsKeptExactlyAsThePublisherWroteIt(String data) throws MalformedEnvelopeException {
        String message = "{\"type\":\"download_progress\",\"data\":" + data + ",\"timestamp\":\"2026-11-22T10:00:00.123Z\"}";
        assertEquals(data, decode(message).data());
    }

    @Test
    void dataIsKeptExactlyInAMessageLargerThanTheParserBuffer() throws MalformedEnvelopeException {
        String data = "{\"download_id\":\"d1\",\"blob\":\"" + "é".repeat(40_000) + "\",\"n\":1.50}";
        BusEvent event = decode("{\"type\":\"t\",\"data\":" + data + ",\"id\":\"5-1\"}");
        assertEquals(data, event.data());
        assertEquals("d1", event.downloadId());
    }

    @Test
    void dataMayComeBeforeTheTypeAndTimestamp() throws MalformedEnvelopeException {
        BusEvent event = decode("{\"data\":{\"x\":1},\"type\":\"queue_update\",\"timestamp\":\"t\"}");
        assertEquals("{\"x\":1}", event.data());
        assertEquals("queue_update", event.type());
    }

    @Test
    void theTopLevelDownloadIdOfDataIsExtracted() throws MalformedEnvelopeException {
        assertEquals("abc-123", decode("{\"type\":\"t\",\"data\":{\"status\":\"queued\",\"download_id\":\"abc-123\"}}").downloadId());
    }

    @Test
    void aNumericDownloadIdIsExtractedAsItsText() throws MalformedEnvelopeException {
        assertEquals("42", decode("{\"type\":\"t\",\"data\":{\"download_id\":42}}").downloadId());
    }

    @Test
    void aNullOrStructuredOrNestedDownloadIdIsIgnored() throws MalformedEnvelopeException {
        assertNull(decode("{\"data\":{\"download_id\":null}}").downloadId());
        assertNull(decode("{\"data\":{\"download_id\":{\"id\":\"x\"}}}").downloadId());
        assertNull(decode("{\"data\":{\"result\":{\"download_id\":\"x\"}}}").downloadId());
        assertNull(decode("{\"download_id\":\"x\",\"data\":{}}").downloadId());
    }

    @Test
    void theEnvelopeIdIsUsedWhenNoReplayIdIsGiven() throws MalformedEnvelopeException {
        assertEquals(new EventId(1700000000000L, 7), decode("{\"id\":\"1700000000000-7\",\"data\":{}}").id());
    }

    @Test
    void theReplayIdWinsOverTheEnvelopeId() throws MalformedEnvelopeException {
        EventId replayId = new EventId(9, 9);
        assertEquals(replayId, codec.decode(Channel.QUEUE, "{\"id\":\"1-1\",\"data\":{}}", replayId).id());
    }

    @Test
    void anInvalidOrMissingEnvelopeIdLeavesTheEventWithoutId() throws MalformedEnvelopeException {
        assertNull(decode("{\"data\":{}}").id());
        assertNull(decode("{\"id\":\"1-1\\r\\nevent: x\",\"data\":{}}").id());
        assertNull(decode("{\"id\":17,\"data\":{}}").id());
    }

    @Test
    void aMissingBlankOrNonStringTypeFallsBackToTheChannelsEventType() throws MalformedEnvelopeException {
        assertEquals("stats_update", codec.decode(Channel.STATS, "{\"data\":{}}", null).type());
        assertEquals("stats_update", codec.decode(Channel.STATS, "{\"type\":\" \",\"data\":{}}", null).type());
        assertEquals("stats_update", codec.decode(Channel.STATS, "{\"type\":5,\"data\":{}}", null).type());
    }

    @Test
    void theEventKeepsTheChannelItArrivedOn() throws MalformedEnvelopeException {
        assertEquals(Channel.SYSTEM, codec.decode(Channel.SYSTEM, "{\"data\":{}}", null).channel());
    }

    @Test
    void unknownEnvelopeFieldsOfAnyShapeAreSkipped() throws MalformedEnvelopeException {
        BusEvent event = decode("{\"extra\":{\"data\":[1,{\"type\":\"x\"}]},\"type\":\"t\",\"data\":{\"a\":1}}");
        assertEquals("t", event.type());
        assertEquals("{\"a\":1}", event.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "[]", "\"text\"", "42", "{",
            "{\"type\":\"t\",\"data\":[1,2]}",
            "{\"type\":\"t\",\"data\":\"{}\"}",
            "{\"type\":\"t\",\"data\":null}",
            "{\"type\":\"t\",\"timestamp\":\"2026-11-22T10:00:00.123Z\"}",
            "{\"type\":\"t\",\"data\":{}} trailing",
            "{\"type\":\"t\",\"data\":{}}{}",
            "{\"type\":\"t\",\"data\":{\"a\":}}",
            "{\"type\":\"t\",\"data\":{\"a\":1}"})
    void somethingThatIsNotAnEnvelopeIsRejected(String message) {
        assertThrows(MalformedEnvelopeException.class, () -> decode(message));
    }

    @Test
    void trailingWhitespaceIsNotGarbage() throws MalformedEnvelopeException {
        assertEquals("{}", decode("{\"data\":{}}\n  ").data());
    }

    @Test
    void anEncodedEnvelopeDecodesToTheSameTypeAndData() throws MalformedEnvelopeException {
        String data = "{\"download_id\":\"d-1\",\"price\":1.50,\"n\":1e3,\"title\":\"Ünïcødé \\\"quoted\\\"\"}";
        String message = codec.encode("download_progress", data, Instant.parse("2026-11-22T10:00:00.123Z"), null);
        BusEvent event = codec.decode(Channel.DOWNLOAD, message, null);
        assertEquals("download_progress", event.type());
        assertEquals(data, event.data());
        assertEquals("d-1", event.downloadId());
        assertNull(event.id());
    }

    @Test
    void encodeWritesTheContractsEnvelopeShape() {
        String message = codec.encode("queue_update", "{\"a\":1}", Instant.parse("2026-11-22T10:00:00Z"), null);
        assertEquals("{\"type\":\"queue_update\",\"data\":{\"a\":1},\"timestamp\":\"2026-11-22T10:00:00.000Z\"}", message);
    }

    @Test
    void encodeEscapesATypeThatWouldBreakTheJson() throws MalformedEnvelopeException {
        String message = codec.encode("odd\"type\n", "{}", Instant.EPOCH, null);
        assertEquals("odd\"type\n", decode(message).type());
    }

    @Test
    void thePublishTimestampTravelsWithTheEventForTheLatencyMetric() throws MalformedEnvelopeException {
        Instant published = Instant.parse("2026-11-22T10:00:00.123Z");
        String message = codec.encode("queue_update", "{}", published, null);
        assertEquals(published.toEpochMilli(), decode(message).publishedAt());
    }

    @Test
    void anEnvelopeWithoutAReadableTimestampIsStillDelivered() throws MalformedEnvelopeException {
        assertEquals(0, decode("{\"type\":\"t\",\"data\":{}}").publishedAt());
        assertEquals(0, decode("{\"type\":\"t\",\"data\":{},\"timestamp\":12}").publishedAt());
        assertEquals(0, decode("{\"type\":\"t\",\"data\":{},\"timestamp\":\"soon\"}").publishedAt());
    }
}
