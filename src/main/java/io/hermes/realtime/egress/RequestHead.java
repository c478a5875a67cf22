package io.hermes.realtime.egress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One request head as a proxy client sends it: the request line, the header fields in their order, and the
 * bytes that came after the blank line (the start of a body, or of a tunnel's first bytes). Read strictly:
 * whatever a well-behaved client would not send is a {@link Malformed} head, which the proxy answers with 400.
 */
final class RequestHead {
    /** The largest head read, request line and blank line included. */
    static final int MAX_BYTES = 16 * 1024;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");
    /** Methods relayed to an http:// URL; everything else is refused (CONNECT is the tunnel, not relayed). */
    private static final Set<String> RELAYED = Set.of("GET", "HEAD", "POST");

    /** A head the proxy will not serve; the message says why, for the 400's body. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /** Where a request goes: the host as written (brackets removed), its port, and the path to send there. */
    record Target(String host, int port, String authority, String originForm) {
    }

    private final String method;
    private final String target;
    private final String version;
    private final List<String[]> fields;
    private final byte[] leftover;

    private RequestHead(String method, String target, String version, List<String[]> fields, byte[] leftover) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.fields = fields;
        this.leftover = leftover;
    }

    /**
     * Reads a head from {@code socket}, which must arrive whole before {@code deadlineNanos} (a
     * {@link System#nanoTime()} value): a client that sends a byte now and then cannot hold the thread longer.
     *
     * @throws Malformed    not a head we serve, larger than {@link #MAX_BYTES}, or not complete in time
     * @throws EOFException the client left before its head was complete (nobody to answer)
     */
    static RequestHead read(Socket socket, long deadlineNanos) throws IOException, Malformed {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[MAX_BYTES];
        int filled = 0;
        int scanned = 0;
        while (true) {
            int end = blankLineEnd(buffer, scanned, filled);
            if (end >= 0) {
                return parse(new String(buffer, 0, end, StandardCharsets.ISO_8859_1),
                        Arrays.copyOfRange(buffer, end, filled));
            }
            if (filled == buffer.length) {
                throw new Malformed("The request head is larger than " + MAX_BYTES / 1024 + " KiB");
            }
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new Malformed("No complete request head in time");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
            int read;
            try {
                read = in.read(buffer, filled, buffer.length - filled);
            } catch (SocketTimeoutException late) {
                throw new Malformed("No complete request head in time");
            }
            if (read < 0) {
                throw new EOFException("the client left before its request head was complete");
            }
            scanned = filled;
            filled += read;
        }
    }

    /** The index just past the first CRLF CRLF that ends at or after {@code from} (where new bytes start). */
    private static int blankLineEnd(byte[] buffer, int from, int to) {
        for (int i = Math.max(from, 3); i < to; i++) {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Parses the head's text (ending with its blank line); {@code leftover} is what followed it. */
    static RequestHead parse(String head, byte[] leftover) throws Malformed {
        List<String> lines = List.of(head.substring(0, head.length() - 4).split("\r\n", -1));
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3 || !TOKEN.matcher(requestLine[0]).matches()
                || !VISIBLE_ASCII.matcher(requestLine[1]).matches()
                || !(requestLine[2].equals("HTTP/1.1") || requestLine[2].equals("HTTP/1.0"))) {
            throw new Malformed("Malformed request line");
        }
        List<String[]> fields = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            // No folded lines, no space before the colon, no control characters: each could split one header in two.
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()
                    || line.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new Malformed("Malformed header line");
            }
            fields.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
        return new RequestHead(requestLine[0], requestLine[1], requestLine[2], List.copyOf(fields), leftover);
    }

    String method() {
        return method;
    }

    boolean isConnect() {
        return method.equals("CONNECT");
    }

    /** Bytes the client sent after the head, to be passed on before anything else. */
    byte[] leftover() {
        return leftover.clone();
    }

    /** Every value of the header {@code name} (any case), in order. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    /** The value of a header that may appear once at most; empty when it does not appear. */
    Optional<String> single(String name) throws Malformed {
        List<String> values = values(name);
        if (values.size() > 1) {
            throw new Malformed("More than one " + name + " header");
        }
        return values.stream().findFirst();
    }

    /**
     * Where the request goes: {@code host:port} for CONNECT, {@code http://host[:port]/path} (absolute form)
     * for GET, HEAD and POST. An origin-form target ({@code /path}), another scheme, a user name in the URL
     * or another method is {@link Malformed}: the proxy relays nothing it cannot check.
     */
    Target target() throws Malformed {
        if (isConnect()) {
            return authority(target, -1, "");
        }
        if (!RELAYED.contains(method)) {
            throw new Malformed("Method " + method + " is not relayed; only GET, HEAD, POST and CONNECT");
        }
        if (!target.regionMatches(true, 0, "http://", 0, 7)) {
            throw new Malformed(target.startsWith("/")
                    ? "Not a proxy request: the target must be an absolute http:// URL"
                    : "Only http:// URLs are relayed; use CONNECT for https");
        }
        String rest = target.substring(7);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        if (rest.indexOf('#') >= 0) {
            throw new Malformed("A fragment is not part of a request target");
        }
        String path = rest.substring(end);
        return authority(rest.substring(0, end), 80, path.isEmpty() || path.startsWith("?") ? "/" + path : path);
    }

    private static Target authority(String authority, int defaultPort, String originForm) throws Malformed {
        if (authority.indexOf('@') >= 0) {
            throw new Malformed("A user name in the target is not relayed");
        }
        int portColon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']'))
                : authority.lastIndexOf(':');
        String host = portColon < 0 ? authority : authority.substring(0, portColon);
        String port = portColon < 0 ? "" : authority.substring(portColon + 1);
        boolean hostValid = IPV6_LITERAL.matcher(host).matches()
                || (HOST_NAME.matcher(host).matches() && host.indexOf(':') < 0);
        if (!hostValid) {
            throw new Malformed("Malformed host in the request target");
        }
        int portNumber = defaultPort;
        if (portColon >= 0 || defaultPort < 0) {
            portNumber = PORT.matcher(port).matches() ? Integer.parseInt(port) : -1;
            if (portNumber < 1 || portNumber > 65_535) {
                throw new Malformed("Malformed port in the request target");
            }
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new Target(bare.toLowerCase(Locale.ROOT), portNumber, authority, originForm);
    }

    /**
     * The head to send to the origin for a relayed request: the request line in origin form, {@code Host}
     * naming the checked target, the client's fields but the proxy's own and the hop-by-hop ones, and
     * {@code Connection: close}, so the origin answers one request and the connection ends with it.
     */
    byte[] forOrigin(Target target) {
        List<String> hopByHop = new ArrayList<>(List.of("host", "proxy-authorization", "proxy-connection",
                "connection", "keep-alive", "upgrade", "te", "trailer"));
        for (String named : values("Connection")) {
            for (String token : named.split(",")) {
                hopByHop.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target.originForm()).append(' ')
                .append(version).append("\r\nHost: ").append(target.authority()).append("\r\n");
        for (String[] field : fields) {
            if (!hopByHop.contains(field[0].toLowerCase(Locale.ROOT))) {
                head.append(field[0]).append(": ").append(field[1]).append("\r\n");
            }
        }
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * How many body bytes follow a relayed head: its {@code Content-Length}, or none. A chunked body is
     * refused: relaying exactly one request per connection needs to know where the body ends.
     */
    long bodyLength() throws Malformed {
        if (!values("Transfer-Encoding").isEmpty()) {
            throw new Malformed("Request bodies with Transfer-Encoding are not relayed; send Content-Length");
        }
        Optional<String> length = single("Content-Length");
        if (length.isEmpty()) {
            return 0;
        }
        if (!length.get().matches("[0-9]{1,18}")) {
            throw new Malformed("Malformed Content-Length");
        }
        return Long.parseLong(length.get());
    }
}
