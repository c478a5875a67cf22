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

    /** How many of the sequence numbers in {@code wanted} never arrived. */
    int missingAmong(BitSet wanted) {
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(seen);
        return missing.cardinality();
    }

    /** The sequence numbers received that are not in {@code known}, e.g. that no publish confirmed. */
    int receivedOutside(BitSet known) {
        BitSet outside = (BitSet) seen.clone();
        outside.andNot(known);
        return outside.cardinality();
    }

    /** The lowest sequence number of {@code wanted} that never arrived, or -1. */
    int firstMissingAmong(BitSet wanted) {
        for (int seq = wanted.nextSetBit(0); seq >= 0; seq = wanted.nextSetBit(seq + 1)) {
            if (!seen.get(seq)) {
                return seq;
            }
        }
        return -1;
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
