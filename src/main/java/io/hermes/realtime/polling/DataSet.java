package io.hermes.realtime.polling;

/**
 * What a polled view is built from. Each data set has one version, a field of the hash
 * {@value ViewVersions#KEY}, which every write that changes the data set increments in the same atomic
 * step as the change.
 */
public enum DataSet {
    /** Download records and their indexes: {@code /queue}. Changed by every submission, claim, progress step, status change and deletion. */
    DOWNLOADS("downloads"),
    /** The history indexes and the per-day counters: {@code /stats}, {@code /timeline}, {@code /history}. Changed when a download ends or is deleted. */
    HISTORY("history"),
    /** The notification feed: {@code /notifications}. Changed by every notification added. */
    NOTIFICATIONS("notifications");

    private final String field;

    DataSet(String field) {
        this.field = field;
    }

    /** The data set's field in {@value ViewVersions#KEY}. */
    public String field() {
        return field;
    }
}
