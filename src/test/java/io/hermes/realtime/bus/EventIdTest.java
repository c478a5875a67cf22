package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdTest {

    @Test
    void aRedisStreamIdParsesIntoMillisAndSequence() {
        assertEquals(Optional.of(new EventId(1700000000000L, 3)), EventId.parse("1700000000000-3"));
    }

    @Test
    void theLargestUnsignedIdsStillParse() {
        String max = "18446744073709551615-18446744073709551615";
        assertEquals(max, EventId.parse(max).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "1700000000000", "-3", "1700000000000-", "-", "1-2-3",
            "+1-2", "1-+2", "-1-2", "1--2", " 1-2", "1-2 ", "1 -2",
            "1-2\r", "1-2\n", "1\r\n-2", "1-2\r\nevent: x", "a-b", "1.5-2", "0x1-2",
            "18446744073709551616-0", "0-18446744073709551616"})
    void anythingButTwoRunsOfDigitsIsRejected(String text) {
        assertTrue(EventId.parse(text).isEmpty(), () -> "accepted " + text.replace("\r", "\\r").replace("\n", "\\n"));
    }

    @Test
    void textLongerThanTheLongestRealIdIsRejectedEvenIfItsValueFits() {
        assertTrue(EventId.parse("0".repeat(21) + "-" + "0".repeat(20)).isEmpty());
    }

    @Test
    void nullIsRejected() {
        assertTrue(EventId.parse(null).isEmpty());
    }

    @Test
    void orderingComparesMillisFirstThenSequence() {
        List<EventId> ids = new ArrayList<>(List.of(
                new EventId(2, 0), new EventId(1, 10), EventId.ZERO, new EventId(1, 2)));
        ids.sort(null);
        assertEquals(List.of(EventId.ZERO, new EventId(1, 2), new EventId(1, 10), new EventId(2, 0)), ids);
    }

    @Test
    void orderingIsNumericNotTextual() {
        EventId nine = EventId.parse("9-0").orElseThrow();
        EventId ten = EventId.parse("10-0").orElseThrow();
        assertTrue(ten.isAfter(nine));
        assertFalse(nine.isAfter(ten));
    }

    @Test
    void anIdIsNotAfterItself() {
        EventId id = new EventId(5, 5);
        assertFalse(id.isAfter(new EventId(5, 5)));
        assertEquals(0, id.compareTo(new EventId(5, 5)));
    }

    @Test
    void everyRealIdIsAfterZero() {
        assertTrue(new EventId(0, 1).isAfter(EventId.ZERO));
    }

    @Test
    void toStringRoundTripsThroughParse() {
        for (String text : List.of("0-0", "1-1", "1700000000000-42", "18446744073709551615-0")) {
            assertEquals(text, EventId.parse(text).orElseThrow().toString());
        }
    }

    @Test
    void leadingZerosParseToTheSameIdButPrintWithoutThem() {
        assertEquals("17-3", EventId.parse("0017-03").orElseThrow().toString());
    }
}
