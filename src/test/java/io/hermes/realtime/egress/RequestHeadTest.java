package io.hermes.realtime.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a proxy request head is read into a target, and what of it goes on to the origin. */
class RequestHeadTest {

    private static RequestHead head(String text) throws RequestHead.Malformed {
        return RequestHead.parse(text, new byte[0]);
    }

    @ParameterizedTest
    @CsvSource({
        "'GET http://example.com/a/b?c=d HTTP/1.1', example.com, 80, example.com, /a/b?c=d",
        "'GET http://Example.COM:8080 HTTP/1.1', example.com, 8080, Example.COM:8080, /",
        "'HEAD http://example.com?x=1 HTTP/1.0', example.com, 80, example.com, /?x=1",
        "'POST HTTP://10.0.0.1:81/up HTTP/1.1', 10.0.0.1, 81, 10.0.0.1:81, /up",
        "'GET http://[2001:db8::1]:8443/v HTTP/1.1', 2001:db8::1, 8443, [2001:db8::1]:8443, /v",
        "'CONNECT media.example.com:443 HTTP/1.1', media.example.com, 443, media.example.com:443, ''",
        "'CONNECT [::1]:443 HTTP/1.1', ::1, 443, [::1]:443, ''"})
    void theTargetIsTheHostPortAndPathTheRequestNames(String requestLine, String host, int port, String authority,
            String originForm) throws RequestHead.Malformed {
        RequestHead.Target target = head(requestLine + "\r\n\r\n").target();

        assertEquals(new RequestHead.Target(host, port, authority, originForm), target);
    }

    @Test
    void theOriginGetsOriginFormItsOwnHostAndConnectionCloseButNoProxyOrHopByHopFields()
            throws RequestHead.Malformed {
        RequestHead head = head("GET http://example.com:8080/x?y HTTP/1.1\r\nHost: elsewhere.test\r\n"
                + "Proxy-Authorization: Basic dTpw\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive, X-Trace\r\n"
                + "Keep-Alive: 5\r\nX-Trace: 1\r\nUpgrade: websocket\r\nAccept: */*\r\nUser-Agent: yt-dlp\r\n\r\n");

        String sent = new String(head.forOrigin(head.target()), StandardCharsets.ISO_8859_1);

        assertEquals("GET /x?y HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nUser-Agent: yt-dlp\r\n"
                + "Connection: close\r\n\r\n", sent);
    }

    @Test
    void whatFollowsTheHeadIsKeptForTheOrigin() throws RequestHead.Malformed {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        RequestHead head = RequestHead.parse("POST http://example.com/ HTTP/1.1\r\nContent-Length: 5\r\n\r\n", body);

        assertArrayEquals(body, head.leftover());
        assertEquals(5, head.bodyLength());
    }

    @Test
    void aBodyIsFramedByContentLengthOnly() throws RequestHead.Malformed {
        assertEquals(0, head("GET http://example.com/ HTTP/1.1\r\n\r\n").bodyLength());
        for (String framing : List.of("Transfer-Encoding: chunked", "Content-Length: 5\r\nContent-Length: 5",
                "Content-Length: -1", "Content-Length: 5 5", "Content-Length: 0x10")) {
            RequestHead head = head("POST http://example.com/ HTTP/1.1\r\n" + framing + "\r\n\r\n");
            assertThrows(RequestHead.Malformed.class, head::bodyLength, framing);
        }
    }

    @Test
    void credentialsAreReadFromEveryProxyAuthorizationField() throws RequestHead.Malformed {
        RequestHead head = head("CONNECT example.com:443 HTTP/1.1\r\nproxy-authorization: Basic a\r\n"
                + "Proxy-Authorization: Basic b\r\n\r\n");

        assertEquals(List.of("Basic a", "Basic b"), head.values("Proxy-Authorization"));
    }
}
