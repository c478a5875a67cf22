package io.hermes.realtime.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a stream endpoint decided for one request.
 *
 * @param endpoint     which endpoint opened it ({@code stream}, {@code downloads}, {@code queue} …), for
 *                     metrics and logs
 * @param subscription which events the stream carries
 * @param snapshot     frames sent right after {@code connected} when the client is not resuming (current
 *                     state, recent notifications, the views of {@code ?snapshot=}); read after the stream
 *                     is registered, so nothing published meanwhile is missed
 * @param notAfter     when the stream must end because its token expires, or {@code null}
 * @param views        whether {@code snapshot} carries views the client asked for, which a {@code resync}
 *                     then announces ({@code "snapshot_follows": true}) so the client need not refetch
 * @param progressIntervalMillis the minimum gap between two {@code download_progress} steps of one download
 *                     that the client asked for ({@code ?progress_interval_ms=}, 0 for every step), or -1 for
 *                     the server's default
 * @param credential   the revocable credential the stream was opened with (see {@code Caller#credential}), or
 *                     {@code null}; revoking it ends the stream
 * @param relay        how a dedicated stream renames its events and when it ends, or {@code null} to pass them on
 *                     as published
 * @param snapshotOnly whether the snapshot is all there is to send (a download that has ended), so it is sent
 *                     even to a client that resumes, instead of replaying what it missed
 */
record StreamPlan(String endpoint, Subscription subscription, Supplier<List<SseFrame>> snapshot,
        Instant notAfter, boolean views, int progressIntervalMillis, String credential, Relay relay,
        boolean snapshotOnly) {

    public StreamPlan(String endpoint, Subscription subscription, Supplier<List<SseFrame>> snapshot, Instant notAfter) {
        this(endpoint, subscription, snapshot, notAfter, false, -1, null, null, false);
    }

    /** This plan sending its snapshot whether or not the client resumes. */
    StreamPlan snapshotEvenOnResume() {
        return new StreamPlan(endpoint, subscription, snapshot, notAfter, views, progressIntervalMillis, credential, relay,
                true);
    }

    /** This plan for a dedicated stream that passes its events on through {@code how}. */
    StreamPlan relayedBy(Relay how) {
        return new StreamPlan(endpoint, subscription, snapshot, notAfter, views, progressIntervalMillis, credential, how,
                snapshotOnly);
    }

    /** This plan with {@code viewFrames} sent after the endpoint's own snapshot. */
    StreamPlan withViews(Supplier<List<SseFrame>> viewFrames) {
        Supplier<List<SseFrame>> own = snapshot;
        return new StreamPlan(endpoint, subscription, () -> {
            List<SseFrame> frames = new ArrayList<>(own.get());
            frames.addAll(viewFrames.get());
            return frames;
        }, notAfter, true, progressIntervalMillis, credential, relay, snapshotOnly);
    }

    /** This plan with the progress interval the client asked for. */
    StreamPlan withProgressInterval(int millis) {
        return new StreamPlan(endpoint, subscription, snapshot, notAfter, views, millis, credential, relay, snapshotOnly);
    }

    /** This plan for a stream opened with {@code credential}. */
    StreamPlan openedWith(String credential) {
        return new StreamPlan(endpoint, subscription, snapshot, notAfter, views, progressIntervalMillis, credential, relay,
                snapshotOnly);
    }
}
