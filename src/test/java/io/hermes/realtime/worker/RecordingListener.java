package io.hermes.realtime.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** Remembers every call, and opens {@link #received} once some number of bytes has been reported. */
final class RecordingListener implements TransferListener {
    /** One {@code onProgress} call. */
    record Progress(long downloaded, long total) {
    }

    final List<String> startedNames = new CopyOnWriteArrayList<>();
    final List<Long> startedTotals = new CopyOnWriteArrayList<>();
    final List<Progress> progress = new CopyOnWriteArrayList<>();
    final CountDownLatch received = new CountDownLatch(1);
    private final long threshold;

    RecordingListener() {
        this(Long.MAX_VALUE);
    }

    /** {@link #received} opens when at least {@code threshold} bytes have been reported. */
    RecordingListener(long threshold) {
        this.threshold = threshold;
    }

    @Override
    public void onStart(String fileName, long totalBytes) {
        startedNames.add(fileName);
        startedTotals.add(totalBytes);
    }

    @Override
    public void onProgress(long downloadedBytes, long totalBytes) {
        progress.add(new Progress(downloadedBytes, totalBytes));
        if (downloadedBytes >= threshold) {
            received.countDown();
        }
    }
}
