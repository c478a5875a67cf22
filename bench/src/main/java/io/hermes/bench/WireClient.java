package io.hermes.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking HTTP/1.1 client with keep-alive connections, as a browser keeps them to one origin, that
 * reports the exact bytes of each request and response: the point of the polling benchmarks is to count
 * what crosses the socket, which an off-the-shelf client hides (and may compress).
 *
 * <p>Any number of threads may call {@link #send}; each call takes an idle connection or opens one, and
 * returns it afterwards if the response left it reusable. A reused connection that the server had closed
 * while idle (Jetty's idle timeout) fails before the first response byte; the request is then sent once
 * more on a new connection, as browsers do for idempotent requests, and the bytes of both attempts count.
 */
final class WireClient implements AutoCloseable {
    private final InetSocketAddress server;
    private final String hostHeader;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger staleRetries = new AtomicInteger();
    private volatile boolean closed;

    WireClient(String host, int port) {
        this.server = new InetSocketAddress(host, port);
        this.hostHeader = port == 80 ? host : host + ":" + port;
    }

    /**
     * One exchange: the response, the request bytes written (of every attempt), when the last response
     * byte was read (epoch µs) and whether it needed a new connection.
     */
    record Exchange(HttpResponseReader.Response response, long requestBytes, long receivedMicros, boolean newConnection) {
        long responseBytes() {
            return response.wireBytes();
        }
    }

    Exchange send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        byte[] request = encode(method, target, hostHeader, headers, body);
        long written = 0;
        Connection connection = idle.pollFirst();
        if (connection != null) {
            try {
                written += request.length;
                HttpResponseReader.Response response = connection.exchange(request, method);
                return finish(connection, response, written, false);
            } catch (HttpResponseReader.NothingReadException | SocketException stale) {
                connection.close();
                staleRetries.incrementAndGet();
            } catch (IOException | RuntimeException broken) {
                connection.close();
                throw broken;
            }
        }
        connection = open();
        try {
            written += request.length;
            HttpResponseReader.Response response = connection.exchange(request, method);
            return finish(connection, response, written, true);
        } catch (IOException | RuntimeException broken) {
            connection.close();
            throw broken;
        }
    }

    private Exchange finish(Connection connection, HttpResponseReader.Response response, long written, boolean fresh) {
        long received = EpochMicros.now();
        if (response.reusable() && !closed) {
            idle.addFirst(connection);
        } else {
            connection.close();
        }
        return new Exchange(response, written, received, fresh);
    }

    /** Connections opened so far (each one a TCP handshake). */
    int connectionsOpened() {
        return opened.get();
    }

    /** Requests sent again because their reused connection turned out to be closed. */
    int staleRetries() {
        return staleRetries.get();
    }

    /** Opens a connection that the caller owns (for a stream); it is not pooled. */
    Connection openDedicated() throws IOException {
        return open();
    }

    String hostHeader() {
        return hostHeader;
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 10_000);
        socket.setSoTimeout(60_000);
        opened.incrementAndGet();
        return new Connection(socket);
    }

    /** The request's bytes: request line, Host, the given headers in order, Content-Length with a body. */
    static byte[] encode(String method, String target, String host, Map<String, String> headers, byte[] body) {
        StringBuilder text = new StringBuilder(256);
        text.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        text.append("Host: ").append(host).append("\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        text.append("\r\n");
        byte[] head = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return head;
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            connection.close();
        }
    }

    /** One TCP connection; used by one thread at a time. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket.getOutputStream();
        }

        HttpResponseReader.Response exchange(byte[] request, String method) throws IOException {
            out.write(request);
            out.flush();
            return HttpResponseReader.read(in, method);
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        InputStream input() {
            return in;
        }

        void setReadTimeout(int millis) throws SocketException {
            socket.setSoTimeout(millis);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
