package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressAllowListTest {

    private static AddressAllowList of(String... entries) {
        return AddressAllowList.parse(List.of(entries));
    }

    @Test
    void anEmptyListAllowsNobody() {
        assertTrue(AddressAllowList.none().isEmpty());
        assertFalse(AddressAllowList.none().permits("127.0.0.1"));
        assertFalse(of().permits("127.0.0.1"));
    }

    @Test
    void singleAddressesMatchExactly() {
        AddressAllowList list = of("127.0.0.1", "::1");
        assertTrue(list.permits("127.0.0.1"));
        assertFalse(list.permits("127.0.0.2"));
        assertTrue(list.permits("0:0:0:0:0:0:0:1"));
        assertTrue(list.permits("[::1]"));
        assertFalse(list.permits("::2"));
    }

    @Test
    void cidrRangesMatchTheirPrefix() {
        AddressAllowList list = of("10.0.0.0/8", "192.168.4.0/22", "fd00::/8");
        assertTrue(list.permits("10.255.1.2"));
        assertFalse(list.permits("11.0.0.1"));
        assertTrue(list.permits("192.168.7.255"));
        assertFalse(list.permits("192.168.8.0"));
        assertTrue(list.permits("fd12:3456::1"));
        assertFalse(list.permits("fe80::1"));
    }

    @Test
    void hostBitsInARangeAreIgnoredAndZeroPrefixMatchesItsFamily() {
        assertTrue(of("10.1.2.3/8").permits("10.9.9.9"));
        AddressAllowList anyV4 = of("0.0.0.0/0");
        assertTrue(anyV4.permits("203.0.113.9"));
        assertFalse(anyV4.permits("2001:db8::1"));
    }

    @Test
    void anIpv4MappedIpv6PeerMatchesIpv4Rules() {
        assertTrue(of("127.0.0.1").permits("::ffff:127.0.0.1"));
    }

    @Test
    void aPeerThatIsNotAnAddressIsRefusedRatherThanLookedUp() {
        AddressAllowList list = of("127.0.0.1");
        assertFalse(list.permits("localhost"));
        assertFalse(list.permits(""));
        assertFalse(list.permits(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "::1/129",
            "10.0.0.0/", "10.0.0.0/-1", "1.2.3.4/8/8", "gg::1", "abc:def", ".:1", "[::1", "*", ""})
    void anythingButAnAddressOrRangeIsRefused(String entry) {
        assertThrows(IllegalArgumentException.class, () -> of(entry));
    }
}
