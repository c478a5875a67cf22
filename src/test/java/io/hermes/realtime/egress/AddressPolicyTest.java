package io.hermes.realtime.egress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.metrics.AddressAllowList;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every range the policy must refuse, through a fake resolver that maps names to chosen addresses. */
class AddressPolicyTest {
    private final Map<String, InetAddress[]> dns = new HashMap<>();
    /** Names as {@link #dns} says; IP literals are themselves, as the system resolver reads them without DNS. */
    private final AddressPolicy.Resolver fakeDns = host -> {
        if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
            return new InetAddress[] {ip(host)};
        }
        InetAddress[] addresses = dns.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };
    private final AddressPolicy publicOnly = new AddressPolicy(false, fakeDns);

    /** An IP literal parsed without any lookup. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException notALiteral) {
            throw new AssertionError(notALiteral);
        }
    }

    /** {@code ::ffff:a.b.c.d} kept as an IPv6 address, as a resolver may return it (getByName would unwrap it). */
    private static InetAddress ipv4Mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    private AddressRefused refusal(String host, InetAddress... addresses) {
        dns.put(host, addresses);
        return assertThrows(AddressRefused.class, () -> publicOnly.check(URI.create("http://" + host + "/file")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254",          // loopback
        "0.0.0.0", "0.1.2.3",                    // any-local, 0/8
        "10.0.0.1", "10.255.255.255",            // 10/8
        "172.16.0.1", "172.31.255.255",          // 172.16/12
        "192.168.0.1", "192.168.255.255",        // 192.168/16
        "169.254.169.254", "169.254.0.1",        // link-local, cloud metadata
        "100.64.0.1", "100.127.255.255",         // carrier-grade NAT
        "224.0.0.1", "239.255.255.250",          // multicast
        "255.255.255.255", "240.0.0.1",          // broadcast, reserved
        "::1", "::",                             // IPv6 loopback, any-local
        "fe80::1", "febf:ffff::1",               // IPv6 link-local
        "fc00::1", "fd12:3456:789a::1",          // unique local
        "ff02::1", "ff0e::1",                    // IPv6 multicast
        "::127.0.0.1"                            // IPv4-compatible, deprecated
    })
    void privateAddressesAreRefused(String literal) {
        AddressRefused failure = refusal("target.test", ip(literal));

        assertEquals(AddressRefused.PRIVATE_ADDRESS, failure.errorType());
        assertEquals("Refused: target.test resolves to a private address (" + ip(literal).getHostAddress() + ")",
                failure.getMessage());
    }

    @Test
    void ipv4MappedIpv6AddressesAreJudgedAsTheIpv4AddressTheyReach() throws UnknownHostException {
        for (InetAddress mapped : new InetAddress[] {ipv4Mapped(127, 0, 0, 1), ipv4Mapped(10, 1, 2, 3),
                ipv4Mapped(169, 254, 169, 254), ipv4Mapped(192, 168, 1, 1), ipv4Mapped(100, 64, 0, 1),
                ipv4Mapped(0, 0, 0, 0)}) {
            assertEquals(AddressRefused.PRIVATE_ADDRESS, refusal("mapped.test", mapped).errorType(),
                    mapped.getHostAddress());
        }
        dns.put("public-mapped.test", new InetAddress[] {ipv4Mapped(93, 184, 216, 34)});
        assertDoesNotThrow(() -> publicOnly.check(URI.create("https://public-mapped.test/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.255.255",
        "172.32.0.1", "192.167.1.1", "169.253.1.1", "223.255.255.255", "2606:2800:220:1:248:1893:25c8:1946",
        "2001:4860:4860::8888"})
    void publicAddressesPass(String literal) {
        dns.put("example.test", new InetAddress[] {ip(literal)});

        assertDoesNotThrow(() -> publicOnly.check(URI.create("https://example.test/file.iso")));
    }

    @Test
    void oneHostileAddressAmongPublicOnesRefusesTheHost() {
        AddressRefused failure = refusal("mixed.test", ip("93.184.216.34"), ip("10.0.0.5"));

        assertEquals("Refused: mixed.test resolves to a private address (10.0.0.5)", failure.getMessage());
    }

    @Test
    void privateAddressesPassWhenAllowed() {
        dns.put("nas.local", new InetAddress[] {ip("192.168.1.20")});
        AddressPolicy homeNetwork = new AddressPolicy(true, fakeDns);

        assertDoesNotThrow(() -> homeNetwork.check(URI.create("http://nas.local:8080/movie.mkv")));
    }

    @Test
    void literalAddressesInTheUrlAreJudgedToo() {
        AddressPolicy system = new AddressPolicy(false); // literals need no DNS

        AddressRefused v4 = assertThrows(AddressRefused.class,
                () -> system.check(URI.create("http://169.254.169.254/latest/meta-data/")));
        AddressRefused v6 = assertThrows(AddressRefused.class, () -> system.check(URI.create("http://[::1]:6379/")));

        assertEquals("Refused: 169.254.169.254 is a private address", v4.getMessage());
        assertEquals("Refused: ::1 is a private address", v6.getMessage());
    }

    @Test
    void anUnknownHostIsADnsFailureWhateverTheSetting() {
        AddressPolicy homeNetwork = new AddressPolicy(true, fakeDns);

        AddressRefused failure = assertThrows(AddressRefused.class,
                () -> homeNetwork.check(URI.create("http://nowhere.test/")));

        assertEquals(AddressRefused.DNS_FAILURE, failure.errorType());
        assertEquals("Could not resolve host nowhere.test", failure.getMessage());
    }

    @Test
    void aResolverThatReturnsNothingIsADnsFailure() {
        dns.put("empty.test", new InetAddress[0]);

        AddressRefused failure = assertThrows(AddressRefused.class,
                () -> publicOnly.check(URI.create("http://empty.test/")));

        assertEquals(AddressRefused.DNS_FAILURE, failure.errorType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.test/file", "file:///etc/passwd", "gopher://example.test/",
        "jar:file:/x.jar!/a", "mailto:a@example.test", "relative/path", "http:///no-host", "http:opaque"})
    void onlyHttpAndHttpsUrlsWithAHostAreAccepted(String url) {
        AddressRefused failure = assertThrows(AddressRefused.class, () -> publicOnly.check(URI.create(url)));

        assertEquals(AddressRefused.UNSUPPORTED_SCHEME, failure.errorType());
    }

    @Test
    void schemesAreCaseInsensitive() {
        dns.put("example.test", new InetAddress[] {ip("93.184.216.34")});

        assertDoesNotThrow(() -> publicOnly.check(URI.create("HTTPS://example.test/")));
    }

    /** As the composition root builds it from {@code HERMES_PRIVATE_URL_ALLOW}. */
    private AddressPolicy allowing(String... entries) {
        AddressAllowList listed = AddressAllowList.parse(List.of(entries));
        return new AddressPolicy(false, address -> listed.permits(address.getHostAddress()), fakeDns);
    }

    @Test
    void aListedPrivateAddressPassesWhileItsNeighboursAreRefused() {
        dns.put("nas.home", new InetAddress[] {ip("192.168.1.20")});
        dns.put("router.home", new InetAddress[] {ip("192.168.1.1")});
        AddressPolicy nasOnly = allowing("192.168.1.20");

        assertDoesNotThrow(() -> nasOnly.check(URI.create("http://nas.home:8080/movie.mkv")));
        assertDoesNotThrow(() -> nasOnly.check(URI.create("http://192.168.1.20/movie.mkv")));
        AddressRefused router = assertThrows(AddressRefused.class,
                () -> nasOnly.check(URI.create("http://router.home/")));
        assertEquals("Refused: router.home resolves to a private address (192.168.1.1)", router.getMessage());
        assertThrows(AddressRefused.class, () -> nasOnly.check(URI.create("http://127.0.0.1/")));
    }

    @Test
    void aListedRangeAllowsEveryAddressInItAndPublicAddressesStillPass() {
        dns.put("mixed.home", new InetAddress[] {ip("10.1.2.3"), ip("93.184.216.34")});
        AddressPolicy tenNet = allowing("10.0.0.0/8", "fd00::/8");

        assertDoesNotThrow(() -> tenNet.check(URI.create("http://mixed.home/")));
        assertDoesNotThrow(() -> tenNet.check(URI.create("http://[fd12::1]/")));
        assertThrows(AddressRefused.class, () -> tenNet.check(URI.create("http://[fe80::1]/")));
    }

    @Test
    void aNameWithOneUnlistedPrivateAddressIsRefusedAlthoughAnotherIsListed() {
        AddressRefused failure;
        dns.put("two.home", new InetAddress[] {ip("192.168.1.20"), ip("192.168.1.21")});

        failure = assertThrows(AddressRefused.class, () -> allowing("192.168.1.20").checkHost("two.home", 80));

        assertEquals(AddressRefused.PRIVATE_ADDRESS, failure.errorType());
        assertEquals("Refused: two.home resolves to a private address (192.168.1.21)", failure.getMessage());
    }

    @Test
    void checkHostResolvesOnceAndReturnsExactlyTheAddressesItJudged() throws AddressRefused {
        AtomicInteger lookups = new AtomicInteger();
        InetAddress[] answer = {ip("93.184.216.34"), ip("2606:2800:220:1:248:1893:25c8:1946")};
        AddressPolicy counting = new AddressPolicy(false, host -> {
            lookups.incrementAndGet();
            return answer;
        });

        List<InetSocketAddress> targets = counting.checkHost("example.test", 443);

        assertEquals(List.of(new InetSocketAddress(answer[0], 443), new InetSocketAddress(answer[1], 443)), targets);
        assertEquals(1, lookups.get(), "one lookup: the caller connects to these, never to the name");
    }

    @Test
    void checkHostRefusesWhatCheckRefuses() {
        dns.put("metadata.test", new InetAddress[] {ip("169.254.169.254")});

        AddressRefused privateHost = assertThrows(AddressRefused.class, () -> publicOnly.checkHost("metadata.test", 80));
        AddressRefused literal = assertThrows(AddressRefused.class, () -> publicOnly.checkHost("[::1]", 443));
        AddressRefused unknown = assertThrows(AddressRefused.class, () -> publicOnly.checkHost("nowhere.test", 443));

        assertEquals(AddressRefused.PRIVATE_ADDRESS, privateHost.errorType());
        assertEquals("Refused: ::1 is a private address", literal.getMessage());
        assertEquals(AddressRefused.DNS_FAILURE, unknown.errorType());
    }

    @Test
    void checkHostStillResolvesWhenPrivateAddressesAreAllowed() throws AddressRefused {
        dns.put("nas.local", new InetAddress[] {ip("192.168.1.20")});

        assertEquals(List.of(new InetSocketAddress(ip("192.168.1.20"), 8080)),
                new AddressPolicy(true, fakeDns).checkHost("nas.local", 8080));
    }

    @Test
    void checkHostTakesNoEmptyHostAndNoPortOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> publicOnly.checkHost("", 80));
        assertThrows(IllegalArgumentException.class, () -> publicOnly.checkHost("[]", 80));
        assertThrows(IllegalArgumentException.class, () -> publicOnly.checkHost("example.test", 0));
        assertThrows(IllegalArgumentException.class, () -> publicOnly.checkHost("example.test", 65_536));
    }

    @Test
    void submitRefusesPrivateLiteralsAndLocalhostNamingBothSettings() {
        Optional<String> literal = publicOnly.refusalAtSubmit(URI.create("http://10.0.0.7/x"));
        Optional<String> loopbackName = publicOnly.refusalAtSubmit(URI.create("http://LocalHost./x"));

        assertEquals(Optional.of("refused: 10.0.0.7 is a private address; set HERMES_ALLOW_PRIVATE_URLS=true on the "
                + "server to allow private addresses, or list this one in HERMES_PRIVATE_URL_ALLOW"), literal);
        assertTrue(loopbackName.orElseThrow().startsWith("refused: localhost is a loopback name;"), loopbackName.get());
        assertEquals(Optional.empty(), publicOnly.refusalAtSubmit(URI.create("http://nas.home/x")),
                "a name is judged when the worker resolves it");
        assertEquals(Optional.empty(), new AddressPolicy(true).refusalAtSubmit(URI.create("http://10.0.0.7/x")));
    }

    @Test
    void submitAcceptsListedLiteralsAndLocalhostOnceALoopbackAddressIsListed() {
        AddressPolicy loopbackListed = allowing("127.0.0.1/32");

        assertEquals(Optional.empty(), allowing("10.0.0.0/8").refusalAtSubmit(URI.create("http://10.0.0.7/x")));
        assertEquals(Optional.empty(), loopbackListed.refusalAtSubmit(URI.create("http://127.0.0.1:8080/x")));
        assertEquals(Optional.empty(), loopbackListed.refusalAtSubmit(URI.create("http://localhost:8080/x")));
        assertTrue(loopbackListed.refusalAtSubmit(URI.create("http://127.0.0.2/x")).isPresent());
        assertTrue(allowing("10.0.0.0/8").refusalAtSubmit(URI.create("http://localhost/x")).isPresent());
    }
}
