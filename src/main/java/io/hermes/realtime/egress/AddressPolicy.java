package io.hermes.realtime.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides which URLs and hosts the worker may reach: http and https only, and, unless private addresses are
 * allowed, only hosts whose every address is public or listed as allowed anyway (a NAS on the home network).
 * Users choose the URLs, so without this a download could read the cloud metadata service, the Redis admin
 * port or a router page and hand the answer back as a file.
 *
 * <p>Limit, stated plainly: {@link #check(URI)} resolves the name, and an HTTP client that connects afterwards
 * resolves it again. A DNS server that answers differently the second time (DNS rebinding) can slip between
 * the two. {@link #checkHost} does not have that gap: it returns the addresses it judged, and its caller
 * connects to exactly those.
 */
public final class AddressPolicy {

    /** Name resolution, replaceable so tests can pretend any name has any address. */
    @FunctionalInterface
    public interface Resolver {
        /** Every address of {@code host} (a name, or an IP literal without brackets). */
        InetAddress[] resolve(String host) throws UnknownHostException;

        /** The system resolver, {@link InetAddress#getAllByName}. */
        static Resolver system() {
            return InetAddress::getAllByName;
        }
    }

    private static final String ADVICE = "; set HERMES_ALLOW_PRIVATE_URLS=true on the server to allow private "
            + "addresses, or list this one in HERMES_PRIVATE_URL_ALLOW";

    private final boolean allowPrivate;
    private final Predicate<InetAddress> allowedAnyway;
    private final Resolver resolver;

    /**
     * @param allowPrivate  every address may be reached ({@code HERMES_ALLOW_PRIVATE_URLS})
     * @param allowedAnyway the addresses that may be reached although they are not public
     *                      ({@code HERMES_PRIVATE_URL_ALLOW})
     */
    public AddressPolicy(boolean allowPrivate, Predicate<InetAddress> allowedAnyway, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.allowedAnyway = Objects.requireNonNull(allowedAnyway, "allowedAnyway");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A policy that allows no private address by name. */
    public AddressPolicy(boolean allowPrivate, Resolver resolver) {
        this(allowPrivate, address -> false, resolver);
    }

    /** A policy using the system resolver that allows no private address by name. */
    public AddressPolicy(boolean allowPrivate) {
        this(allowPrivate, Resolver.system());
    }

    /**
     * Passes if {@code uri} may be fetched. The host is resolved even when private addresses are allowed, so an
     * unknown host fails here the same way whatever the setting.
     *
     * @throws AddressRefused {@code unsupported_scheme} for anything but an http(s) URL with a host,
     *                        {@code dns_failure} for a name that does not resolve, {@code private_address}
     *                        when any of its addresses may not be reached
     */
    public void check(URI uri) throws AddressRefused {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new AddressRefused(AddressRefused.UNSUPPORTED_SCHEME, scheme.isEmpty()
                    ? "Not an absolute URL: only http and https URLs can be downloaded"
                    : "Unsupported URL scheme \"" + scheme + "\": only http and https can be downloaded");
        }
        String host = hostOf(uri);
        if (host.isEmpty()) {
            // The error types have no "invalid URL"; a URL without a host is not a usable http(s) URL either.
            throw new AddressRefused(AddressRefused.UNSUPPORTED_SCHEME, "The URL has no host name");
        }
        resolveAndJudge(host);
    }

    /**
     * The addresses to connect to for {@code host} and {@code port}, if every address of the host may be
     * reached. Connect to these and nothing else: resolving the name again could give another answer.
     *
     * @param host a name or an IP literal, an IPv6 literal with or without brackets
     * @throws AddressRefused         {@code dns_failure} or {@code private_address}, as {@link #check(URI)}
     * @throws IllegalArgumentException for an empty host or a port outside 1 to 65535
     */
    public List<InetSocketAddress> checkHost(String host, int port) throws AddressRefused {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        for (InetAddress address : resolveAndJudge(bare)) {
            targets.add(new InetSocketAddress(address, port));
        }
        return List.copyOf(targets);
    }

    /** Resolves {@code host} once and refuses it when any of its addresses may not be reached. */
    private InetAddress[] resolveAndJudge(String host) throws AddressRefused {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException unknown) {
            throw new AddressRefused(AddressRefused.DNS_FAILURE, "Could not resolve host " + host, unknown);
        }
        if (addresses == null || addresses.length == 0) {
            throw new AddressRefused(AddressRefused.DNS_FAILURE, "Could not resolve host " + host);
        }
        // Any refused address refuses the host: a client may pick any of them when it connects.
        for (InetAddress address : addresses) {
            if (!mayReach(address)) {
                throw new AddressRefused(AddressRefused.PRIVATE_ADDRESS, isIpLiteral(host)
                        ? "Refused: " + host + " is a private address"
                        : "Refused: " + host + " resolves to a private address (" + address.getHostAddress() + ")");
            }
        }
        return addresses.clone();
    }

    private boolean mayReach(InetAddress address) {
        return allowPrivate || isPublic(address) || allowedAnyway.test(address);
    }

    /**
     * Why {@code uri} can be refused when it is submitted, before any name is resolved: its host is an IP
     * literal (in any form the resolver reads without asking DNS) that may not be reached, or {@code localhost}
     * while no loopback address is allowed. Empty when private addresses are allowed, or when only the fetch
     * can tell (a name, resolved then).
     */
    public Optional<String> refusalAtSubmit(URI uri) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = hostOf(uri).toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // "localhost." is localhost too
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            // Which loopback addresses the name has is the resolver's business: with one allowed, the fetch decides.
            boolean loopbackAllowed = allowedAnyway.test(loopback("127.0.0.1")) || allowedAnyway.test(loopback("::1"));
            return loopbackAllowed ? Optional.empty()
                    : Optional.of("refused: " + host + " is a loopback name" + ADVICE);
        }
        if (!isIpLiteral(host)) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!mayReach(address)) {
                    return Optional.of("refused: " + host + " is a private address" + ADVICE);
                }
            }
        } catch (UnknownHostException notAnAddress) {
            // A malformed literal is left to the fetch, which reports it as a host that does not resolve.
        }
        return Optional.empty();
    }

    private static InetAddress loopback(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The host of {@code uri} as the policy judges it: without the brackets of an IPv6 literal, or empty. */
    public static String hostOf(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return "";
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** An IPv6 literal has a colon; a name cannot be all digits and dots (its last label is never numeric). */
    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** False for every address a download must not reach: loopback, private, link-local, multicast… */
    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            if (isIpv4Mapped(bytes)) {
                // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d; judge it as that address.
                return isPublicIpv4(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            }
            return isPublicIpv6(address, bytes);
        }
        if (address instanceof Inet4Address) {
            return isPublicIpv4(address.getAddress());
        }
        return false; // an address family we do not know is not trusted
    }

    private static boolean isPublicIpv4(byte[] ip) {
        int a = ip[0] & 0xff;
        int b = ip[1] & 0xff;
        int c = ip[2] & 0xff;
        return !(a == 0                                // 0.0.0.0/8, "this network", includes 0.0.0.0
                || a == 10                             // 10/8 private
                || a == 127                            // 127/8 loopback
                || (a == 100 && (b & 0xc0) == 64)      // 100.64/10 carrier-grade NAT
                || (a == 169 && b == 254)              // 169.254/16 link-local, cloud metadata services
                || (a == 172 && (b & 0xf0) == 16)      // 172.16/12 private
                || (a == 192 && b == 168)              // 192.168/16 private
                || (a == 192 && b == 0 && c == 0)      // 192.0.0/24 protocol assignments (NAT64 helpers …)
                || a >= 224);                          // 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast
    }

    private static boolean isPublicIpv6(InetAddress address, byte[] ip) {
        int first = ip[0] & 0xff;
        int second = ip[1] & 0xff;
        return !(address.isAnyLocalAddress()           // ::
                || address.isLoopbackAddress()         // ::1
                || isIpv4Compatible(ip)                // ::a.b.c.d, deprecated, may reach IPv4 hosts
                || (first & 0xfe) == 0xfc              // fc00::/7 unique local
                || (first == 0xfe && (second & 0xc0) == 0x80)  // fe80::/10 link-local
                || (first == 0xfe && (second & 0xc0) == 0xc0)  // fec0::/10 old site-local
                || first == 0xff);                     // ff00::/8 multicast
    }

    private static boolean isIpv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static boolean isIpv4Compatible(byte[] ip) {
        for (int i = 0; i < 12; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
