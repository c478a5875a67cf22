package io.hermes.realtime.downloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.redis.ReplicaWait;
import io.hermes.realtime.testing.TestRedis;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/** Status changes against a real Redis: a terminal download never changes again, however the race goes. */
class DownloadStoreIT {
    private final TestRedis redis = TestRedis.shared();
    private JedisPooled jedis;
    private DownloadStore store;

    @BeforeEach
    void start() {
        redis.flush();
        jedis = new JedisPooled(redis.url());
        store = new DownloadStore(jedis, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        jedis.close();
    }

    private String claimedDownload() {
        Download created = store.create(new NewDownload("https://example.org/f", "best", null, false, false, null, null,
                null, "normal", null), "alice");
        assertEquals(created.id(), store.claim(60_000).orElseThrow());
        return created.id();
    }

    @Test
    void withReplicasToWaitForAFinalStatusIsWaitedForAndNothingElseIs() {
        // This Redis has no replica, so a WAIT for one always runs out its timeout: the time a call takes shows
        // whether it waited, and INFO commandstats counts the WAITs sent.
        DownloadStore waiting = new DownloadStore(jedis, Clock.systemUTC(), new ReplicaWait(1, 300), new Json());
        String id = claimedDownload();
        long waitsBefore = waitCalls();
        long started = System.nanoTime();
        assertTrue(waiting.processing(id).applied());
        long processingMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(waitsBefore, waitCalls(), "a status that is not final waits for nobody");
        started = System.nanoTime();
        assertTrue(waiting.transition(id, Status.COMPLETED, Set.of(Status.PROCESSING), Map.of("file_size", "10"))
                .applied());
        long completedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(waitsBefore + 1, waitCalls(), "the final status is followed by one WAIT on its connection");
        assertTrue(completedMillis >= 290, "the completion waited out the timeout: " + completedMillis + " ms");
        assertTrue(processingMillis < 290, "processing did not wait: " + processingMillis + " ms");
        assertEquals("completed", jedis.hget("hermes:download:" + id, "status"), "the write is applied all the same");
    }

    /** How many WAIT commands this Redis has run. */
    private long waitCalls() {
        String stats;
        try (Jedis client = redis.client()) {
            stats = client.info("commandstats");
        }
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_wait:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_wait:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    @Test
    void aTerminalDownloadIgnoresLateProgressAndLateTransitions() {
        String id = claimedDownload();
        assertEquals(DownloadStore.Outcome.OK,
                store.transition(id, Status.COMPLETED, Set.of(Status.DOWNLOADING), Map.of("file_size", "10")).outcome());
        assertFalse(store.recordProgress(id, "{}", "{}", "f", 60_000), "late progress is refused");
        DownloadStore.Transition cancel = store.transition(id, Status.CANCELLED, null, Map.of("message", "late"));
        assertEquals(DownloadStore.Outcome.TERMINAL, cancel.outcome());
        assertEquals(Status.COMPLETED, cancel.previous());
        assertEquals("completed", jedis.hget("hermes:download:" + id, "status"));
        assertFalse("late".equals(jedis.hget("hermes:download:" + id, "message")));
        assertEquals(0, jedis.exists("download:" + id + ":progress") ? 1 : 0);
    }

    @Test
    void racingCancelAndCompletionApplyExactlyOnceAndCountOnce() throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(8);
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(claimedDownload());
            }
            int applied = 0;
            for (String id : ids) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<DownloadStore.Transition>> outcomes = new ArrayList<>();
                for (int racer = 0; racer < 4; racer++) {
                    Status to = racer % 2 == 0 ? Status.COMPLETED : Status.CANCELLED;
                    outcomes.add(racers.submit(() -> {
                        go.await();
                        return store.transition(id, to, Set.of(Status.DOWNLOADING), Map.of("file_size", "1"));
                    }));
                }
                go.countDown();
                int wins = 0;
                for (Future<DownloadStore.Transition> outcome : outcomes) {
                    wins += outcome.get().applied() ? 1 : 0;
                }
                assertEquals(1, wins, "exactly one of the racing changes applies");
                applied += wins;
            }
            String today = "hermes:stats:all:" + LocalDate.now(ZoneOffset.UTC);
            assertEquals(String.valueOf(applied), jedis.hget(today, "total"), "each download counted once");
            assertEquals(50, jedis.zcard("hermes:history"));
            assertEquals(0, jedis.zcard("hermes:downloads:status:downloading"));
            assertEquals(50, jedis.zcard("hermes:downloads:status:completed") + jedis.zcard("hermes:downloads:status:cancelled"));
        } finally {
            racers.shutdownNow();
        }
    }
    /** Writes a record with its history entries, as an ended download has them. */
    private void ended(String id, String owner, String status, long completedMillis, String filePath) {
        jedis.hset("hermes:download:" + id,
                Map.of("id", id, "owner", owner, "status", status, "file_path", filePath));
        jedis.zadd("hermes:history", completedMillis, id);
        jedis.zadd("hermes:history:owner:" + owner, completedMillis, id);
    }

    @Test
    void completedDownloadsAreVisitedNewestFirstAcrossPagesEachOnce() {
        for (int i = 0; i < 450; i++) {
            ended("a" + i, "alice", i % 10 == 0 ? "failed" : "completed", 1_000 + i, "f" + i);
        }
        ended("b1", "bob", "completed", 5_000, "bob.mp4");
        jedis.zadd("hermes:history:owner:alice", 6_000, "b1"); // a stray id in the wrong index is not alice's

        List<String> visited = new ArrayList<>();
        store.forEachCompleted("alice", 10_000, download -> visited.add(download.id()));
        assertEquals(405, visited.size(), "every completed one, failed ones and bob's left out");
        assertEquals("a449", visited.get(0));
        assertEquals("a1", visited.get(404));
        assertEquals(405, Set.copyOf(visited).size());
        assertEquals("f449", jedis.hget("hermes:download:a449", "file_path"));

        List<String> bounded = new ArrayList<>();
        store.forEachCompleted("alice", 250, download -> bounded.add(download.id()));
        assertEquals("a201", bounded.get(bounded.size() - 1),
                "only the newest 250 ended ones (b1 among them) are looked at");

        List<String> stopped = new ArrayList<>();
        store.forEachCompleted(null, 10_000, download -> stopped.add(download.id()) && stopped.size() < 3);
        assertEquals(List.of("b1", "a449", "a448"), stopped, "every owner's, until the visitor has enough");
    }

    @Test
    void forgettingAFileChangesOnlyTheRecordThatStillReadsAsExpected() {
        ended("d1", "alice", "completed", 1_000, "clip.mp4");
        jedis.hset("hermes:download:d1", "files", "[\"clip.mp4\",\"clip.en.vtt\"]");
        assertEquals(DownloadStore.Forgetting.CHANGED,
                store.forgetFile("d1", "clip.en.vtt", "[\"clip.mp4\"]", "[]"), "files changed since it was read");
        assertEquals(DownloadStore.Forgetting.OK,
                store.forgetFile("d1", "clip.en.vtt", "[\"clip.mp4\",\"clip.en.vtt\"]", "[\"clip.mp4\"]"));
        assertEquals("[\"clip.mp4\"]", jedis.hget("hermes:download:d1", "files"));
        assertEquals("clip.mp4", jedis.hget("hermes:download:d1", "file_path"));
        assertEquals(DownloadStore.Forgetting.OK, store.forgetFile("d1", "clip.mp4", "[\"clip.mp4\"]", "[]"));
        assertEquals(null, jedis.hget("hermes:download:d1", "file_path"));

        ended("d2", "alice", "completed", 2_000, "old.bin");
        assertEquals(DownloadStore.Forgetting.OK, store.forgetFile("d2", "old.bin", null, null));
        assertFalse(jedis.hexists("hermes:download:d2", "files"), "no files field is made up");
        assertFalse(jedis.hexists("hermes:download:d2", "file_path"));
        assertEquals("completed", jedis.hget("hermes:download:d2", "status"));
        assertEquals(DownloadStore.Forgetting.MISSING, store.forgetFile("nope", "x", null, null));
    }
}
