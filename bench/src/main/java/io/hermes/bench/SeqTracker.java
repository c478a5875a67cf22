package io.hermes.bench;

import java.util.BitSet;

/** Which sequence numbers one client received, so loss, duplicates and reordering can be counted. */
final class SeqTracker {
    private final BitSet seen = new BitSet();
    private int distinct;
    private int duplicates;
    private int outOfOrder;
    private int highest = -1;

    /** Records a delivery; returns false for a duplicate. */
    boolean record(int seq) {
        if (seen.get(seq)) {
            duplicates++;
            return false;
        }
        seen.set(seq);
        distinct++;
        if (seq < highest) {
            outOfOrder++;
        }
        highest = Math.max(highest, seq);
        return true;
    }

    /** How many of the sequence numbers 0 … expected-1 never arrived. */
    int missing(int expected) {
        return expected - seen.get(0, expected).cardinality();
    }

    int distinct() {
        return distinct;
    }

    int duplicates() {
        return duplicates;
    }

    int outOfOrder() {
        return outOfOrder;
    }

    int highest() {
        return highest;
    }
}
