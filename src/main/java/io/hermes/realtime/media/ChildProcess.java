package io.hermes.realtime.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One running yt-dlp (or any child program): its standard output as lines, the tail of its standard error,
 * and an idempotent {@link #kill()} that ends the whole process tree (yt-dlp and the ffmpeg it starts).
 *
 * <p>Threads: two tasks on the {@link MediaProcesses} executor read the two pipes until the child closes them,
 * so the child never blocks on a full pipe and the caller's thread never blocks on a read for longer than
 * the wait it asks for ({@link #nextLine}). Lines wait in a bounded queue: a caller that stops reading stops
 * the reader, which then stops the child at its next write — back-pressure, not memory.
 */
public final class ChildProcess implements AutoCloseable {
    /** How much of standard error is kept: enough for yt-dlp's last messages. */
    private static final int ERROR_TAIL_LINES = 40;
    private static final int MAX_ERROR_LINE_BYTES = 2000;
    private static final int QUEUED_LINES = 1024;
    private static final String END = new String("end of output"); // compared by identity

    private final Process process;
    private final int maxLineBytes;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(QUEUED_LINES);
    private final Deque<String> errorTail = new ArrayDeque<>();
    /** Counted down when standard error has been read to its end, so the tail is complete. */
    private final CountDownLatch errorsRead = new CountDownLatch(1);
    private final Consumer<ChildProcess> onEnd;
    private volatile boolean outputEnded;
    private volatile boolean lineTooLong;
    private volatile boolean killed;

    private ChildProcess(Process process, int maxLineBytes, Consumer<ChildProcess> onEnd) {
        this.process = process;
        this.maxLineBytes = maxLineBytes;
        this.onEnd = onEnd;
    }

    /**
     * Starts {@code command} (a program and its arguments, never through a shell) in {@code directory}
     * with exactly {@code environment}, and its two readers on {@code io}.
     *
     * @param maxLineBytes the longest line of standard output kept; a longer one kills the child
     * @param onStart      called with the child before its readers start, so it is known before it can end
     * @param onEnd        called once the child is known to have ended or been killed
     */
    static ChildProcess start(List<String> command, java.nio.file.Path directory,
            java.util.Map<String, String> environment, int maxLineBytes, ExecutorService io,
            Consumer<ChildProcess> onStart, Consumer<ChildProcess> onEnd) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close(); // nothing to say to it: a read of its input ends at once
        ChildProcess child = new ChildProcess(process, maxLineBytes, onEnd);
        onStart.accept(child); // a child that prints and exits at once may reach its end before start returns
        try {
            io.execute(child::readOutput);
            io.execute(child::readErrors);
        } catch (RejectedExecutionException stopping) {
            child.kill();
            throw new IOException("the media executor is stopping", stopping);
        }
        return child;
    }

    /**
     * The next line of standard output, waiting at most {@code wait}; null when none came in time or when the
     * output has ended (then {@link #outputEnded()} is true).
     */
    public String nextLine(Duration wait) throws InterruptedException {
        if (outputEnded && lines.isEmpty()) {
            return null;
        }
        String line = lines.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (line == END) {
            outputEnded = true;
            return null;
        }
        return line;
    }

    /** True once every line of standard output has been taken. */
    public boolean outputEnded() {
        return outputEnded && lines.isEmpty();
    }

    /** Whether a line of standard output was longer than allowed (the child was then killed). */
    public boolean lineTooLong() {
        return lineTooLong;
    }

    /**
     * Waits at most {@code wait} for the child to exit; its exit code, or empty when it still runs. Within the same
     * wait it lets the reader take the rest of standard error, so that {@link #errorTail()} holds the last message.
     */
    public java.util.OptionalInt awaitExit(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        if (process.waitFor(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            // The pipe may still hold the last lines (the ERROR line comes just before the exit).
            errorsRead.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return java.util.OptionalInt.of(process.exitValue());
        }
        return java.util.OptionalInt.empty();
    }

    /** The last lines of standard error, oldest first; up to the last one once {@link #awaitExit} gave an exit code. */
    public List<String> errorTail() {
        synchronized (errorTail) {
            return List.copyOf(errorTail);
        }
    }

    public boolean killed() {
        return killed;
    }

    /**
     * Ends the child and everything it started, at once (SIGKILL), and waits up to a second for them. The
     * descendants go first: once the parent is gone they would be re-parented and out of reach. Idempotent.
     */
    public void kill() {
        killed = true;
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            process.waitFor(1, TimeUnit.SECONDS);
            for (ProcessHandle handle : tree) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
            // a process that outlives SIGKILL for a second is the kernel's business; nothing more to do
        }
    }

    /** Same as {@link #kill()}: a child is never left running by its owner. */
    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill();
        }
    }

    /** The process id, for logs. */
    public long pid() {
        return process.pid();
    }

    private void readOutput() {
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        lines.put(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (b != '\r') {
                        if (line.size() >= maxLineBytes) {
                            lineTooLong = true;
                            kill();
                            return;
                        }
                        line.write(b);
                    }
                }
            }
            if (line.size() > 0) {
                lines.put(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // the child was killed or closed its output: the end of the lines either way
        } catch (InterruptedException stopping) {
            kill();
            Thread.currentThread().interrupt();
        } finally {
            endOfOutput();
        }
    }

    private void endOfOutput() {
        // The queue may be full of lines nobody will read (the owner gave up): make room for the mark.
        while (!lines.offer(END)) {
            lines.poll();
        }
        onEnd.accept(this);
    }

    private void readErrors() {
        try (InputStream in = process.getErrorStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        keepError(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (b != '\r' && line.size() < MAX_ERROR_LINE_BYTES) {
                        line.write(b); // the rest of an overlong line is dropped
                    }
                }
            }
            if (line.size() > 0) {
                keepError(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // killed, or closed: the tail is what it is
        } finally {
            errorsRead.countDown();
        }
    }

    private void keepError(String line) {
        synchronized (errorTail) {
            if (errorTail.size() == ERROR_TAIL_LINES) {
                errorTail.removeFirst();
            }
            errorTail.addLast(line);
        }
    }
}
