package io.hermes.realtime.downloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.TestRedis;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

/** One owner for a progress step: paced, stored and published once each, against a real Redis. */
class ProgressStepsIT {
    private final TestRedis redis = TestRedis.shared();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private JedisPooled jedis;
    private DownloadStore store;
    private ProgressSteps steps;

    @BeforeEach
    void start() {
        redis.flush();
        jedis = new JedisPooled(redis.url());
        store = new DownloadStore(jedis, Clock.systemUTC());
        Json json = new Json();
        DownloadEvents events = new DownloadEvents(new EventPublisher(jedis, json, new EnvelopeCodec(),
                Clock.systemUTC(), 1000), json, Clock.systemUTC());
        steps = new ProgressSteps(store, events, json, 60_000, now::get);
    }

    @AfterEach
    void stop() {
        jedis.close();
    }

    private Download running() {
        Download created = store.create(new NewDownload("https://example.org/f", "best", null, false, false, null, null,
                null, "normal", null), "alice");
        store.claim(60_000).orElseThrow();
        return store.find(created.id()).orElseThrow();
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void stepsArePacedToHalfASecondOrAPointAndTheLastAlwaysGoesOut() {
        ProgressSteps.Series series = steps.start(running());
        assertEquals(ProgressSteps.Outcome.RECORDED, series.offer(10, 10_000, "f.bin"), "the first step");
        advance(100);
        assertEquals(ProgressSteps.Outcome.PACED, series.offer(50, 10_000, "f.bin"), "0.4 points after 100 ms");
        advance(100);
        assertEquals(ProgressSteps.Outcome.RECORDED, series.offer(200, 10_000, "f.bin"), "a whole point moved");
        advance(100);
        assertEquals(ProgressSteps.Outcome.PACED, series.offer(210, 10_000, "f.bin"));
        advance(500);
        assertEquals(ProgressSteps.Outcome.RECORDED, series.offer(220, 10_000, "f.bin"), "half a second passed");
        assertEquals(ProgressSteps.Outcome.RECORDED, series.offer(10_000, 10_000, "f.bin"), "the last one");
    }

    @Test
    void aStepIsStoredInTheRecordAndTheKeyAndPublishedAsTheSameText() {
        Download download = running();
        steps.start(download).offer(2_500, 10_000, "f.bin");

        String key = jedis.get(DownloadIds.progressKey(download.id()));
        JsonNode snapshot = Events.json(key);
        assertEquals(download.id(), snapshot.path("download_id").asText());
        assertEquals(25.0, snapshot.path("progress").path("percentage").asDouble());
        assertEquals(25.0, Events.json(jedis.hget(DownloadIds.recordKey(download.id()), "progress"))
                .path("percentage").asDouble());
        List<StreamEntry> published = jedis.xrange("hermes:events", (redis.clients.jedis.StreamEntryID) null, null);
        JsonNode last = Events.json(published.get(published.size() - 1).getFields().get("envelope")).path("data");
        assertEquals(snapshot, last, "the event's data is the progress key's text");
    }

    @Test
    void aRunningDownloadsResultHasItsUrlFromTheStartAndItsTitleFromTheFirstStep() {
        Download download = running();
        JsonNode before = polledResult(download);
        assertEquals("https://example.org/f", before.path("url").asText(), "the web app shows the URL meanwhile");
        assertTrue(before.path("title").isNull(), before.toString());

        steps.start(download).offer(2_500, 10_000, "f.bin");
        JsonNode snapshot = Events.json(jedis.get(DownloadIds.progressKey(download.id()))).path("result");
        assertEquals("https://example.org/f", snapshot.path("url").asText());
        assertEquals("f.bin", snapshot.path("title").asText(), "the step's event names the file");
        assertTrue(snapshot.path("file_size").isNull(), "the size is known once completed");
        JsonNode polled = polledResult(store.find(download.id()).orElseThrow());
        assertEquals("f.bin", polled.path("title").asText(), "and so does the record");
        assertTrue(polled.path("fileSize").isNull());
    }

    /** The {@code result} of the download's REST view, as {@code GET /download/{id}} and the queue show it. */
    private static JsonNode polledResult(Download download) {
        Json json = new Json();
        return json.mapper().valueToTree(download.statusView(json.mapper())).path("result");
    }

    @Test
    void aDownloadNoLongerRunningHereIsLostAndNothingIsWritten() {
        Download download = running();
        store.transition(download.id(), Status.CANCELLED, null, java.util.Map.of());
        long events = jedis.xlen("hermes:events");
        assertEquals(ProgressSteps.Outcome.LOST, steps.start(download).offer(5_000, 10_000, "f.bin"));
        assertEquals(events, jedis.xlen("hermes:events"), "nothing published");
    }
}
