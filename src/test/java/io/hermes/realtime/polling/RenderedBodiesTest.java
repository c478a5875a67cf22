package io.hermes.realtime.polling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RenderedBodiesTest {

    @Test
    void keptBodiesStayWithinTheBudgetAndTheLeastRecentlyUsedGoFirst() {
        RenderedBodies bodies = new RenderedBodies(1000);
        bodies.put("a", new byte[200]);
        bodies.put("b", new byte[200]);
        bodies.put("c", new byte[200]);
        bodies.put("d", new byte[200]);
        assertEquals(4, bodies.size());
        bodies.get("a"); // used: now b is the eldest
        bodies.put("e", new byte[200]);
        assertTrue(bodies.usedBytes() <= 1000, "used " + bodies.usedBytes());
        assertNull(bodies.get("b"), "the least recently used body went first");
        assertArrayEquals(new byte[200], bodies.get("a"));
        assertArrayEquals(new byte[200], bodies.get("e"));
    }

    @Test
    void aBodyAboveAQuarterOfTheBudgetIsNotKept() {
        RenderedBodies bodies = new RenderedBodies(1000);
        bodies.put("small", new byte[100]);
        bodies.put("large", new byte[300]);
        assertNull(bodies.get("large"));
        assertArrayEquals(new byte[100], bodies.get("small"), "nothing was pushed out for it");
    }

    @Test
    void replacingAnEntryCountsItsBytesOnce() {
        RenderedBodies bodies = new RenderedBodies(1000);
        bodies.put("a", new byte[100]);
        bodies.put("a", new byte[150]);
        assertEquals(1, bodies.size());
        assertEquals(150 + 2, bodies.usedBytes());
    }
}
