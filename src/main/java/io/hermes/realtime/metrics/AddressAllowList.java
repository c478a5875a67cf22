package io.hermes.realtime.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peer addresses that may scrape {@code /metrics} without a key ({@code HERMES_METRICS_ALLOW}):
 * IPv4 and IPv6 addresses and CIDR ranges. Only literals are accepted, so parsing never asks DNS, and an
 * IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) matches the IPv4 rules.
 */
public final class AddressAllowList {
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final List<Range> ranges;
    private final List<String> entries;

    private AddressAllowList(List<Range> ranges, List<String> entries) {
        this.ranges = ranges;
        this.entries = entries;
    }

    /** Allows nobody: a key is always required. */
    public static AddressAllowList none() {
        return new AddressAllowList(List.of(), List.of());
    }

    /** Parses {@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8} …; throws on anything else. */
    public static AddressAllowList parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(Range.parse(entry.trim()));
        }
        return new AddressAllowList(List.copyOf(ranges), List.copyOf(entries));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code address} (as the container reports the peer) is in a listed range. */
    public boolean permits(String address) {
        if (ranges.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = literal(address);
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** A network and how many leading bits of it count. */
    private record Range(byte[] network, int prefixBits) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
            int bits = network.length * 8;
            if (slash >= 0) {
                String prefix = entry.substring(slash + 1);
                if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                    throw new IllegalArgumentException("bad prefix length in " + entry);
                }
                bits = Integer.parseInt(prefix);
            }
            return new Range(network, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    /**
     * The bytes of an address literal: 4 for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. IPv4 is parsed
     * here, strictly (four decimal parts); IPv6 by the JDK, which takes text that starts with a hex digit
     * or a colon and holds a colon as a literal and never looks it up. A zone ({@code %eth0}) is ignored.
     */
    static byte[] literal(String text) {
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        if (address.indexOf(':') >= 0) {
            if (!IPV6_CHARACTERS.matcher(address).matches()) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            try {
                return InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException | SecurityException invalid) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }
}
