package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrafficTallyTest {
    @Test
    void countsRequestsByStatusClassAndBytesEachWay() {
        TrafficTally tally = new TrafficTally();
        tally.exchange("queue", 200, 120, 27_000);
        tally.exchange("queue", 304, 160, 460);
        tally.exchange("stats", 503, 110, 300);
        TrafficTally.Line total = tally.total();
        assertEquals(3, total.requests);
        assertEquals(1, total.ok);
        assertEquals(1, total.notModified);
        assertEquals(1, total.other);
        assertEquals(390, total.requestBytes);
        assertEquals(27_760, total.responseBytes);
        assertEquals(28_150, total.totalBytes());
    }

    @Test
    void aStreamIsOneRequestWhoseBytesArriveInPieces() {
        TrafficTally tally = new TrafficTally();
        tally.streamOpened("events/stream", 220);
        tally.streamStatus("events/stream", 200);
        tally.streamBytes("events/stream", 300);
        tally.streamBytes("events/stream", 305);
        TrafficTally.Line total = tally.total();
        assertEquals(1, total.requests);
        assertEquals(1, total.ok);
        assertEquals(605, total.responseBytes);
    }

    @Test
    void theSteadyStateCountsOnlyWhatHappensAfterItsStart() {
        TrafficTally tally = new TrafficTally();
        tally.exchange("queue", 200, 100, 1000);
        tally.streamOpened("events/stream", 200);
        assertEquals(0, tally.steadyTotal().requests, "no steady state before it is set");
        tally.steadyFrom(0);
        tally.exchange("queue", 200, 100, 1000);
        tally.streamBytes("events/stream", 300);
        assertEquals(1, tally.steadyTotal().requests, "the stream was opened before, its later bytes count");
        assertEquals(1300, tally.steadyTotal().responseBytes);
        assertEquals(3, tally.total().requests);
    }
}
