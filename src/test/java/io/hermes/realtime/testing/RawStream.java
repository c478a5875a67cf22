package io.hermes.realtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * One event stream on a bare socket with no reader thread, so a test decides everything the client
 * does: read nothing more (a client that stopped reading, or one that vanished), close cleanly (FIN),
 * or reset (RST, as after a crash or a dropped mobile connection).
 */
public final class RawStream implements AutoCloseable {
    private final Socket socket;

    private RawStream(Socket socket) {
        this.socket = socket;
    }

    /**
     * Opens {@code path} (below {@code /api/v1}) as the admin and returns once the {@code connected}
     * event has arrived, so the stream is registered on the server.
     *
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's default; a small
     *                      one makes a client that stops reading fill up quickly
     */
    public static RawStream open(int port, String path, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small from the start
            }
            socket.setSoTimeout(20_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitConnected(socket.getInputStream());
            return new RawStream(socket);
        } catch (IOException | RuntimeException failed) {
            socket.close();
            throw failed;
        }
    }

    private static void awaitConnected(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("stream ended before 'connected': " + seen.toString(StandardCharsets.UTF_8));
            }
            seen.write(buffer, 0, n);
            String text = seen.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 200")) {
                if (text.contains("\r\n\r\n")) {
                    throw new IOException("stream refused: " + text.replace("\r\n", " | "));
                }
            } else if (text.contains("event: connected\n")) {
                return;
            }
        }
    }

    /** Ends the connection with a RST instead of a FIN: the server's next write fails at once. */
    public void reset() throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException alreadyClosed) {
            // nothing left to reset
        }
        socket.close();
    }

    /** Ends the connection cleanly (FIN). */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
