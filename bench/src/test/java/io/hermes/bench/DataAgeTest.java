package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataAgeTest {
    private static final List<DataAge.Update> LOG = List.of(
            update(1_000, 0, "created", "queued", 0),
            update(1_500, 1, "claimed", "downloading", 0),
            update(2_000, 2, "progress", "downloading", 100),
            update(2_500, 3, "progress", "downloading", 200),
            update(3_000, 4, "progress", "downloading", 300),
            update(3_500, 5, "completed", "completed", 300));

    @Test
    void aSkippedStepIsCaughtUpWithByTheFirstSightingOfALaterOne() {
        // A poll at 2 600 µs shows 200 bytes: step 2 (100 bytes) was never shown, but from then on the
        // screen is newer than it, so both steps date from that poll.
        List<Sightings.Sighting> polls = List.of(sighting(2_600, "downloading", 200), sighting(3_700, "completed", 300));
        DataAge.Result progress = DataAge.analyse(LOG, polls, 0, Long.MAX_VALUE, DataAge.Update::isProgress);
        assertEquals(3, progress.considered());
        assertEquals(3, progress.seen());
        assertEquals(1, progress.seenExactly());
        assertEquals(0, progress.unseen());
        // ages: step 2 600 µs, step 3 100 µs, step 4 (300 bytes, first shown with the completion) 700 µs
        assertEquals(0.1, progress.percentileMillis(1), 1e-9);
        assertEquals(0.6, progress.percentileMillis(50), 1e-9);
        assertEquals(0.7, progress.maxMillis(), 1e-9);
    }

    @Test
    void everyStepSeenAsItHappensHasTheDeliveryDelayAsItsAge() {
        List<Sightings.Sighting> events = List.of(sighting(2_010, "downloading", 100), sighting(2_520, "downloading", 200),
                sighting(3_005, "downloading", 300));
        DataAge.Result progress = DataAge.analyse(LOG, events, 0, Long.MAX_VALUE, DataAge.Update::isProgress);
        assertEquals(3, progress.seenExactly());
        assertEquals(0.02, progress.percentileMillis(99), 1e-9);
        assertEquals(0.005, progress.percentileMillis(1), 1e-9);
    }

    @Test
    void stepsOutsideTheWindowOrNeverCaughtUpWithAreCountedApart() {
        List<Sightings.Sighting> polls = List.of(sighting(2_100, "downloading", 100));
        DataAge.Result progress = DataAge.analyse(LOG, polls, 1_900, 2_900, DataAge.Update::isProgress);
        assertEquals(2, progress.considered(), "steps written at 2 000 and 2 500 µs");
        assertEquals(1, progress.seen());
        assertEquals(1, progress.unseen());
        DataAge.Result status = DataAge.analyse(LOG, polls, 0, Long.MAX_VALUE, update -> !update.isProgress());
        assertEquals(3, status.considered());
        assertEquals(2, status.seen(), "created and claimed are older than what was shown; completed was never shown");
    }

    @Test
    void sightingsOfOtherDownloadsAndUnknownStatesAreIgnored() {
        List<Sightings.Sighting> polls = List.of(new Sightings.Sighting("other", "downloading", 100, 2_100, "queue"),
                sighting(2_100, "downloading", 150));
        DataAge.Result progress = DataAge.analyse(LOG, polls, 0, Long.MAX_VALUE, DataAge.Update::isProgress);
        assertEquals(0, progress.seen());
    }

    @Test
    void parsesItsOwnLogLines() {
        assertEquals(update(12, 3, "progress", "downloading", 99), DataAge.Update.parse("12\tid-1\t3\tprogress\tdownloading\t99"));
        Sightings.Sighting sighting = new Sightings.Sighting("id-1", "queued", 0, 7, "event");
        assertEquals(sighting, Sightings.Sighting.parse(sighting.line()));
    }

    private static DataAge.Update update(long at, int seq, String kind, String status, long bytes) {
        return new DataAge.Update(at, "id-1", seq, kind, status, bytes);
    }

    private static Sightings.Sighting sighting(long at, String status, long bytes) {
        return new Sightings.Sighting("id-1", status, bytes, at, "queue");
    }
}
