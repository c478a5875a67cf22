package io.hermes.realtime.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The owner of every child process this instance starts and of the threads that read their pipes
 * ({@code hermes-media-io-N}, two per running child, ended with it). {@link #close()} kills every child
 * still running, tree and all, and waits for the readers: undeploying leaves no yt-dlp behind.
 */
final class MediaProcesses implements AutoCloseable {
    private final ExecutorService io;
    private final Set<ChildProcess> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    MediaProcesses(ThreadFactory threads) {
        // Unbounded in threads, bounded by the children: whoever starts one (the worker's threads, the
        // /info gate) bounds how many run at once.
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
    }

    /** Starts a child and keeps it in the running set until its output ends. */
    ChildProcess start(List<String> command, Path directory, Map<String, String> environment, int maxLineBytes)
            throws IOException {
        if (closed) {
            throw new IOException("stopping: no new child process");
        }
        ChildProcess child = ChildProcess.start(command, directory, environment, maxLineBytes, io, running::add,
                running::remove);
        if (closed) { // closed while it started: close() may have missed it
            child.kill();
        }
        return child;
    }

    /** How many children run now. */
    int running() {
        return running.size();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (ChildProcess child : List.copyOf(running)) {
            child.kill();
        }
        io.shutdown();
        if (!io.awaitTermination(5, TimeUnit.SECONDS)) {
            io.shutdownNow();
            io.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
