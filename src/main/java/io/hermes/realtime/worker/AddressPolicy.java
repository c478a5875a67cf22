package io.hermes.realtime.worker;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which URLs the worker may fetch: http and https only, and, unless private addresses are allowed,
 * only hosts whose every address is public. Users choose the URLs, so without this a download could read the
 * cloud metadata service, the Redis admin port or a router page and hand the answer back as a file.
 *
 * <p>Limit, stated plainly: the check resolves the name, and the HTTP client resolves it again when it
 * connects. A DNS server that answers differently the second time (DNS rebinding) can slip past it. Run the
 * worker where an egress firewall also blocks private ranges if that matters to you.
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

    private final boolean allowPrivate;
    private final Resolver resolver;

    public AddressPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A policy using the system resolver. */
    public AddressPolicy(boolean allowPrivate) {
        this(allowPrivate, Resolver.system());
    }

    /**
     * Passes if {@code uri} may be fetched. The host is resolved even when private addresses are allowed, so an
     * unknown host fails here the same way whatever the setting.
     *
     * @throws TransferException {@code unsupported_scheme} for anything but an http(s) URL with a host,
     *                           {@code dns_failure} for a name that does not resolve, {@code private_address}
     *                           when any of its addresses is not public
     */
    void check(URI uri) throws TransferException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TransferException(TransferException.UNSUPPORTED_SCHEME, scheme.isEmpty()
                    ? "Not an absolute URL: only http and https URLs can be downloaded"
                    : "Unsupported URL scheme \"" + scheme + "\": only http and https can be downloaded");
        }
        String host = hostOf(uri);
        if (host.isEmpty()) {
            // The error types have no "invalid URL"; a URL without a host is not a usable http(s) URL either.
            throw new TransferException(TransferException.UNSUPPORTED_SCHEME, "The URL has no host name");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException unknown) {
            throw new TransferException(TransferException.DNS_FAILURE, "Could not resolve host " + host, unknown);
        }
        if (addresses == null || addresses.length == 0) {
            throw new TransferException(TransferException.DNS_FAILURE, "Could not resolve host " + host);
        }
        if (allowPrivate) {
            return;
        }
        // Any private address refuses the host: the client may pick any of them when it connects.
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new TransferException(TransferException.PRIVATE_ADDRESS, isIpLiteral(host)
                        ? "Refused: " + host + " is a private address"
                        : "Refused: " + host + " resolves to a private address (" + address.getHostAddress() + ")");
            }
        }
    }

    /**
     * Why {@code uri} can be refused when it is submitted, before any name is resolved: its host is an IP
     * literal (in any form the resolver reads without asking DNS) that is not public, or {@code localhost}.
     * Empty when private addresses are allowed, or when only the fetch can tell (a name, resolved then).
     */
    public Optional<String> refusalAtSubmit(URI uri) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = hostOf(uri).toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // "localhost." is localhost too
        }
        String advice = "; set HERMES_ALLOW_PRIVATE_URLS=true on the server to allow private addresses";
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return Optional.of("refused: " + host + " is a loopback name" + advice);
        }
        if (!isIpLiteral(host)) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!isPublic(address)) {
                    return Optional.of("refused: " + host + " is a private address" + advice);
                }
            }
        } catch (UnknownHostException notAnAddress) {
            // A malformed literal is left to the fetch, which reports it as a host that does not resolve.
        }
        return Optional.empty();
    }

    /** The host without the brackets of an IPv6 literal, or an empty string. */
    static String hostOf(URI uri) {
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
