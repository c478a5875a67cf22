package io.hermes.realtime.analytics;

import io.hermes.realtime.auth.Caller;
import java.time.LocalDate;

/**
 * Whose numbers a caller sees, as Redis key names: an admin reads the {@code all} counters and the
 * global history, anyone else only their owner's (see the data model in {@code downloads/package-info}).
 *
 * @param owner the owner the caller is confined to, or {@code null} for an admin
 */
record Scope(String statsPrefix, String historyKey, String owner) {

    static Scope of(Caller caller) {
        return of(caller.ownerFilter());
    }

    /** The scope of a caller confined to {@code owner}, or of an admin when {@code owner} is {@code null}. */
    static Scope of(String owner) {
        if (owner == null) {
            return new Scope("hermes:stats:all:", "hermes:history", null);
        }
        return new Scope("hermes:stats:owner:" + owner + ":", "hermes:history:owner:" + owner, owner);
    }

    /** The per-day counters hash of {@code day}. */
    String statsKey(LocalDate day) {
        return statsPrefix + day;
    }
}
