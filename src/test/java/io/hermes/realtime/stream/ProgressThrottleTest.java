package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.metrics.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A hand-driven clock and timer: every release happens exactly when the test moves time. */
class ProgressThrottleTest {
    private static final long INTERVAL_MILLIS = 1000;

    private long now;
    private long nextId = 100;
    private final List<Scheduled> timers = new ArrayList<>();
    private final List<SseFrame> sent = new ArrayList<>();
    private final Metrics metrics = new Metrics();
    private final ProgressThrottle throttle = new ProgressThrottle(INTERVAL_MILLIS, this::schedule, () -> now,
            sent::add, new StreamMetrics(metrics, new ConnectionRegistry(1), new CompressionSlots(0), Clock.systemUTC()));

    private record Scheduled(long due, Runnable task, CompletableFuture<Void> future) {
    }

    private Future<?> schedule(Runnable task, long delayNanos) {
        Scheduled scheduled = new Scheduled(now + delayNanos, task, new CompletableFuture<>());
        timers.add(scheduled);
        return scheduled.future();
    }

    /** Moves the clock, running each timer that falls due, in order of due time. */
    private void advanceMillis(long millis) {
        long until = now + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            Scheduled next = timers.stream().filter(t -> t.due() <= until && !t.future().isCancelled())
                    .min(Comparator.comparingLong(Scheduled::due)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = Math.max(now, next.due());
            next.task().run();
        }
        now = until;
    }

    private SseFrame step(String download, String status, int percent) {
        String data = "{\"download_id\":\"" + download + "\",\"status\":\"" + status + "\",\"progress\":{\"percentage\":"
                + percent + "}}";
        return SseFrame.of(new BusEvent(new EventId(nextId++, 0), Channel.DOWNLOAD, "download_progress", data,
                download, "alice", 0, status));
    }

    private SseFrame queueUpdate() {
        return SseFrame.of(new BusEvent(new EventId(nextId++, 0), Channel.QUEUE, "queue_update", "{}", null, null, 0));
    }

    private static String percent(SseFrame frame) {
        String text = frame.toString();
        int at = text.indexOf("\"percentage\":") + "\"percentage\":".length();
        return text.substring(at, text.indexOf('}', at));
    }

    private List<String> sentPercents() {
        return sent.stream().filter(frame -> frame.channel() == Channel.DOWNLOAD).map(ProgressThrottleTest::percent)
                .toList();
    }

    @Test
    void firstStepGoesAtOnceAndTheLatestOfTheNextIntervalFollowsAtItsEnd() {
        throttle.offer(step("a", "downloading", 1));
        assertEquals(List.of("1"), sentPercents(), "nothing waited before it");
        advanceMillis(300);
        throttle.offer(step("a", "downloading", 2));
        advanceMillis(300);
        throttle.offer(step("a", "downloading", 3));
        assertEquals(List.of("1"), sentPercents(), "held within the interval");

        advanceMillis(399);
        assertEquals(List.of("1"), sentPercents());
        advanceMillis(1);
        assertEquals(List.of("1", "3"), sentPercents(), "the trailing step, the newest, at the interval's end");
        assertEquals(1.0, sample("hermes_sse_progress_steps_thinned_total"), "step 2 was replaced");

        advanceMillis(1000);
        assertEquals(0, throttle.downloadsTracked(), "a download quiet for a whole interval is forgotten");
        throttle.offer(step("a", "downloading", 4));
        assertEquals(List.of("1", "3", "4"), sentPercents(), "and its next step goes out at once");
    }

    @Test
    void steadyStepsEveryHalfIntervalComeOutOncePerIntervalAndNoneIsOlderThanOneInterval() {
        for (int i = 1; i <= 20; i++) {
            throttle.offer(step("a", "downloading", i));
            advanceMillis(500);
        }
        advanceMillis(1000);
        List<String> percents = sentPercents();
        assertEquals("20", percents.get(percents.size() - 1), "the last step arrives");
        assertTrue(percents.size() >= 10 && percents.size() <= 12, percents.toString());
    }

    @Test
    void aChangeOfStatusGoesAtOnceAndDropsTheStepWaitingBeforeIt() {
        throttle.offer(step("a", "downloading", 10));
        advanceMillis(100);
        throttle.offer(step("a", "downloading", 11));
        throttle.offer(step("a", "completed", 100));
        assertEquals(List.of("10", "100"), sentPercents());
        advanceMillis(5000);
        assertEquals(List.of("10", "100"), sentPercents(), "the older step never follows the newer status");
    }

    @Test
    void downloadsAreThinnedEachOnItsOwnAndOtherEventsPassInOrder() {
        throttle.offer(step("a", "downloading", 1));
        throttle.offer(step("b", "downloading", 50));
        SseFrame queue = queueUpdate();
        throttle.offer(queue);
        throttle.offer(step("a", "downloading", 2));
        assertEquals(List.of("1", "50"), sentPercents());
        assertEquals(queue, sent.get(2), "a queue update is never held");
        advanceMillis(1000);
        assertEquals(List.of("1", "50", "2"), sentPercents());
    }

    @Test
    void aStepSentLateCarriesTheNewestIdSoIdsNeverGoBackwards() {
        throttle.offer(step("a", "downloading", 1));
        SseFrame held = step("a", "downloading", 2);
        throttle.offer(held);
        SseFrame newer = queueUpdate();
        throttle.offer(newer);
        advanceMillis(1000);
        SseFrame late = sent.get(sent.size() - 1);
        assertEquals("2", percent(late));
        assertEquals(newer.id(), late.id());
        assertTrue(late.toString().startsWith("id: " + newer.id() + "\nevent: download_progress\ndata: "), late.toString());
        assertEquals(held.toString().substring(held.toString().indexOf('\n')),
                late.toString().substring(late.toString().indexOf('\n')), "only the id line differs");
        EventId previous = null;
        for (SseFrame frame : sent) {
            assertTrue(previous == null || !previous.isAfter(frame.id()), "ids in order: " + sent);
            previous = frame.id();
        }
    }

    @Test
    void closingDropsWhatWaitsAndSendsNothingMore() {
        throttle.offer(step("a", "downloading", 1));
        throttle.offer(step("a", "downloading", 2));
        throttle.close();
        advanceMillis(5000);
        throttle.offer(step("a", "downloading", 3));
        assertEquals(List.of("1"), sentPercents());
        assertEquals(0, throttle.downloadsTracked());
    }

    private double sample(String series) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no sample " + series);
    }
}
