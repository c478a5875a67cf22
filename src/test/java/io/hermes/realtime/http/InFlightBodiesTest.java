package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightBodiesTest {
    private final InFlightBodies bodies = new InFlightBodies(2, 3);

    @Test
    void aSourceHasUpToItsCapInFlightAndOneMoreAfterARelease() {
        InFlightBodies.Slot first = bodies.tryAcquire("key a", "10.0.0.1");
        assertNotNull(bodies.tryAcquire("key a", "10.0.0.1"));
        assertNull(bodies.tryAcquire("key a", "10.0.0.2"), "the cap follows the key to any address");

        first.release();
        assertNotNull(bodies.tryAcquire("key a", "10.0.0.1"));
    }

    @Test
    void anAddressIsCappedWhateverKeysItPresents() {
        assertNotNull(bodies.tryAcquire("key a", "10.0.0.1"));
        assertNotNull(bodies.tryAcquire("key b", "10.0.0.1"));
        assertNotNull(bodies.tryAcquire("key c", "10.0.0.1"));
        assertNull(bodies.tryAcquire("key d", "10.0.0.1"));
        assertNotNull(bodies.tryAcquire("key d", "10.0.0.2"), "other addresses are not affected");
    }

    @Test
    void aBodyRefusedByItsSourceCapTakesNoPlaceFromItsAddress() {
        bodies.tryAcquire("key a", "10.0.0.1");
        bodies.tryAcquire("key a", "10.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertNull(bodies.tryAcquire("key a", "10.0.0.1"));
        }
        assertNotNull(bodies.tryAcquire("key b", "10.0.0.1"), "the address still has its third place");
    }

    @Test
    void releasingASlotAgainFreesNothingMore() {
        InFlightBodies.Slot slot = bodies.tryAcquire("key a", "10.0.0.1");
        bodies.tryAcquire("key a", "10.0.0.1");
        slot.release();
        slot.release();
        slot.release();

        assertEquals(1, bodies.inFlight("key a"));
        assertNotNull(bodies.tryAcquire("key a", "10.0.0.1"));
        assertNull(bodies.tryAcquire("key a", "10.0.0.1"));
    }

    @Test
    void nothingIsKeptOnceEveryBodyIsReleased() {
        List<InFlightBodies.Slot> slots = new ArrayList<>();
        for (String source : List.of("key a", "key b", "address 10.0.0.2")) {
            slots.add(bodies.tryAcquire(source, source.endsWith("2") ? "10.0.0.2" : "10.0.0.1"));
        }
        slots.forEach(InFlightBodies.Slot::release);

        assertEquals(0, bodies.keys());
    }
}
