package io.hermes.realtime.stream;

import static io.hermes.realtime.stream.StreamFixture.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameQueueTest {
    private final FrameQueue queue = new FrameQueue(2);

    @Test
    void framesComeOutInTheOrderTheyWentIn() {
        SseFrame a = frame("a"), b = frame("b");
        queue.offer(a);
        queue.offer(b);

        assertSame(a, queue.poll());
        assertSame(b, queue.poll());
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void aFullQueueRefusesTheNextFrameWithoutKeepingIt() {
        assertTrue(queue.offer(frame("a")));
        assertTrue(queue.offer(frame("b")));

        assertFalse(queue.offer(frame("c")));

        assertEquals(2, queue.size());
        queue.poll();
        queue.poll();
        assertNull(queue.poll(), "the refused frame was never queued");
    }

    @Test
    void theFramesThatEndAStreamAreAddedEvenToAFullQueue() {
        queue.offer(frame("a"));
        queue.offer(frame("b"));

        queue.add(SseFrame.END);

        assertEquals(3, queue.size());
    }

    @Test
    void pollingMakesRoomAgain() {
        queue.offer(frame("a"));
        queue.offer(frame("b"));
        queue.poll();

        assertTrue(queue.offer(frame("c")));
        assertEquals(2, queue.size());
    }

    @Test
    void clearingDropsEverythingWaiting() {
        queue.offer(frame("a"));
        queue.add(SseFrame.END);

        queue.clear();

        assertEquals(0, queue.size());
        assertNull(queue.poll());
    }
}
