package io.hermes.realtime.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RangeRequestTest {
    private static final long SIZE = 1000;

    @Test
    void noHeaderAsksForTheWholeFile() {
        assertEquals(new RangeRequest.Whole(), RangeRequest.of(null, SIZE));
    }

    @Test
    void aClosedRangeIsServedAsGivenAndCutAtTheEnd() {
        assertEquals(new RangeRequest.Part(0, 99), RangeRequest.of("bytes=0-99", SIZE));
        assertEquals(new RangeRequest.Part(900, 999), RangeRequest.of("bytes=900-5000", SIZE));
        assertEquals(new RangeRequest.Part(999, 999), RangeRequest.of("bytes=999-999", SIZE));
        assertEquals(100, new RangeRequest.Part(0, 99).length());
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertEquals(new RangeRequest.Part(500, 999), RangeRequest.of("bytes=500-", SIZE));
        assertEquals(new RangeRequest.Part(500, 999), RangeRequest.of(" Bytes = 500 - ", SIZE));
    }

    @Test
    void aSuffixRangeTakesTheLastBytesOrAllOfASmallerFile() {
        assertEquals(new RangeRequest.Part(900, 999), RangeRequest.of("bytes=-100", SIZE));
        assertEquals(new RangeRequest.Part(0, 999), RangeRequest.of("bytes=-5000", SIZE));
    }

    @Test
    void aRangeBeyondTheFileIsUnsatisfiable() {
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=1000-", SIZE));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=5000-6000", SIZE));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=-0", SIZE));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=0-", 0));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=-1", 0));
    }

    @Test
    void severalRangesAreAnsweredWithTheWholeFile() {
        assertEquals(new RangeRequest.Whole(), RangeRequest.of("bytes=0-9,20-29", SIZE));
    }

    @Test
    void whatIsNotAByteRangeIsIgnored() {
        for (String ignored : new String[] {"", "bytes=", "bytes=-", "bytes=9-1", "items=0-9", "bytes=a-b",
            "bytes=0-9x", "bytes=99999999999999999999-", "bytes=0-1\r\nX-Injected: 1"}) {
            assertEquals(new RangeRequest.Whole(), RangeRequest.of(ignored, SIZE), ignored);
        }
    }
}
