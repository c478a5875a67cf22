package io.hermes.realtime.downloads;

import java.util.Arrays;
import java.util.Optional;

/** A download's status; completed, failed and cancelled are terminal and never change again. */
public enum Status {
    QUEUED, DOWNLOADING, PROCESSING, COMPLETED, FAILED, CANCELLED;

    public String wire() {
        return name().toLowerCase();
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Parses a status filter; {@code pending} is the contract's alias of {@code queued}. */
    public static Optional<Status> parseFilter(String text) {
        if ("pending".equals(text)) {
            return Optional.of(QUEUED);
        }
        return Arrays.stream(values()).filter(status -> status.wire().equals(text)).findFirst();
    }
}
