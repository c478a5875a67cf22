package io.hermes.realtime.stream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The frames one stream's writer has yet to take, bounded. Offering never blocks: a full queue refuses the
 * frame, and its connection then cuts the client off (it resumes with {@code Last-Event-ID}), so one slow
 * reader never holds memory or delays anyone else.
 *
 * <p>Any thread may offer; only the stream's one writer polls.
 */
final class FrameQueue {
    private final Queue<SseFrame> frames = new ConcurrentLinkedQueue<>();
    /** Frames offered and not yet polled; counted apart because the queue's own size() walks every node. */
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    FrameQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds {@code frame}, or returns false, adding nothing, when {@link #capacity} frames are waiting. */
    boolean offer(SseFrame frame) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        frames.add(frame);
        return true;
    }

    /** Adds {@code frame} whatever the bound: for the frames that end a stream, which must not be refused. */
    void add(SseFrame frame) {
        size.incrementAndGet();
        frames.add(frame);
    }

    /** The oldest frame, or {@code null} when none waits. */
    SseFrame poll() {
        SseFrame frame = frames.poll();
        if (frame != null) {
            size.decrementAndGet();
        }
        return frame;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Frames offered and not yet taken by the writer. */
    int size() {
        return size.get();
    }

    int capacity() {
        return capacity;
    }

    /** Drops what waits, once the stream has closed and nothing will be written. */
    void clear() {
        while (poll() != null) {
            // dropped
        }
    }
}
