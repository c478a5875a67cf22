package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every path a body can take settles it once and gives its in-flight place back, whichever callbacks the
 * container sends and in whatever order (Jetty and Tomcat differ). The container is played by hand: a
 * scripted input stream and mocks of the servlet API's request, response and async context.
 */
class BodyReceptionTest {
    /** One body per sender may wait, so a leaked place shows as the next body being refused. */
    private final BodyReader reader = new BodyReader(16, Duration.ofSeconds(10), 1);
    private final AsyncContext async = mock(AsyncContext.class);
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final ScriptedInput input = new ScriptedInput();
    private final List<String> outcomes = new ArrayList<>();
    private final BodyOutcome outcome = new BodyOutcome() {
        @Override
        public void received() {
            outcomes.add("received");
        }

        @Override
        public void refused(ApiException why) {
            outcomes.add(why.status() + " " + why.getMessage());
        }
    };

    @BeforeEach
    void aRequestFromOneKey() throws IOException {
        stubSender(request);
        when(request.getInputStream()).thenReturn(input);
    }

    private static void stubSender(HttpServletRequest request) {
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/api/v1/notifications");
        when(request.getHeader("Authorization")).thenReturn("Bearer some-key");
        when(request.getRemoteAddr()).thenReturn("10.0.0.1");
    }

    private BodyReception started() throws IOException {
        BodyReception reception = new BodyReception(reader, async, request, response, outcome, 0);
        reception.start(10_000);
        return reception;
    }

    /** Whether the same sender could have another body wait now, which it cannot while one holds its place. */
    private boolean placeIsFree() {
        HttpServletRequest another = mock(HttpServletRequest.class);
        stubSender(another);
        InFlightBodies.Slot slot = reader.waiting(another);
        if (slot == null) {
            return false;
        }
        slot.release();
        return true;
    }

    @Test
    void aBodyThatCameWithItsRequestIsHandledWithoutTakingAPlace() throws IOException {
        input.arrive("{\"a\":1}");
        input.end();
        BodyReception reception = started();
        assertTrue(placeIsFree());

        reception.onDataAvailable();
        reception.onAllDataRead();
        reception.onComplete(null);

        assertEquals(List.of("received"), outcomes);
        verify(request).setAttribute(BodyReader.RECEIVED, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        verify(async).complete();
        assertTrue(placeIsFree());
    }

    @Test
    void aBodyThatWaitsHoldsOnePlaceUntilItIsComplete() throws IOException {
        BodyReception reception = started(); // headers only so far
        assertFalse(placeIsFree());

        input.arrive("{\"a\":");
        reception.onDataAvailable();
        assertFalse(placeIsFree());
        input.arrive("1}");
        input.end();
        reception.onDataAvailable();
        reception.onAllDataRead();

        assertEquals(List.of("received"), outcomes);
        assertTrue(placeIsFree());
        reception.onComplete(null);
        assertTrue(placeIsFree(), "released once, not twice");
    }

    @Test
    void tomcatsNotReadyAtTheEndDoesNotCountAsWaiting() throws IOException {
        input.readyAtEnd = false;
        input.arrive("{}");
        input.end();
        BodyReception reception = started();

        reception.onDataAvailable();
        assertTrue(placeIsFree());
        reception.onAllDataRead();
        assertEquals(List.of("received"), outcomes);
    }

    @Test
    void theDeadlineAnswers408OnceAndFreesThePlace() throws IOException {
        BodyReception reception = started();
        input.arrive("{");
        reception.onDataAvailable();

        reception.onTimeout(null);
        reception.onTimeout(null);
        reception.onComplete(null);

        assertEquals(List.of("408 Request body not received within 10 s"), outcomes);
        verify(response).flushBuffer();
        verify(async).complete();
        assertTrue(placeIsFree());
    }

    @Test
    void aReadFailureAnswers400OnceWhateverCallbacksFollowIt() throws IOException {
        BodyReception reception = started();
        input.fail(new IOException("Invalid chunk header"));

        try {
            reception.onDataAvailable();
        } catch (IOException thrown) { // Tomcat then calls both onError methods, Jetty the read listener's
            reception.onError(thrown);
            reception.onError(new AsyncEvent(async, thrown));
        }
        reception.onComplete(null);

        assertEquals(List.of("400 Malformed request body"), outcomes);
        assertTrue(placeIsFree());
    }

    @Test
    void aClientThatIsGoneIsAnsweredQuietlyAndItsPlaceFreed() throws IOException {
        doThrow(new IOException("Broken pipe")).when(response).flushBuffer();
        BodyReception reception = started();

        reception.onError(new AsyncEvent(async, new EOFException("early EOF")));

        assertEquals(List.of("400 Malformed request body"), outcomes);
        verify(async).complete();
        assertTrue(placeIsFree());
    }

    @Test
    void aBodyGrowingPastTheLimitIs413AndIsNotReadFurther() throws IOException {
        BodyReception reception = started();
        input.arrive("{\"message\":\"0123");
        input.arrive("456789\"}");
        input.end();

        reception.onDataAvailable();
        reception.onAllDataRead();

        assertEquals(List.of("413 Request body exceeds 16 bytes"), outcomes);
        verify(request, never()).setAttribute(eq(BodyReader.RECEIVED), any());
        assertTrue(placeIsFree());
    }

    @Test
    void aSecondWaitingBodyFromTheSameKeyIs429() throws IOException {
        started(); // waits, and holds the key's only place
        HttpServletRequest second = mock(HttpServletRequest.class);
        stubSender(second);
        when(second.getInputStream()).thenReturn(new ScriptedInput());

        new BodyReception(reader, async, second, response, outcome, 0).start(10_000);

        assertEquals(List.of("429 Too many request bodies in flight from this key or address; retry shortly"), outcomes);
        verify(response, atLeastOnce()).flushBuffer();
    }

    @Test
    void theSourceIsTheCredentialHashedElseTheAddress() {
        HttpServletRequest keyed = mock(HttpServletRequest.class);
        when(keyed.getHeader("Authorization")).thenReturn("Bearer secret");
        HttpServletRequest tokened = mock(HttpServletRequest.class);
        when(tokened.getQueryString()).thenReturn("channels=queue&token=sse_secret");
        HttpServletRequest anonymous = mock(HttpServletRequest.class);
        when(anonymous.getRemoteAddr()).thenReturn("10.0.0.9");

        assertEquals(BodyReader.source(keyed), BodyReader.source(keyed));
        assertEquals(-1, BodyReader.source(keyed).indexOf("secret"), "the credential itself is not kept");
        assertNotNull(BodyReader.source(tokened));
        assertEquals(-1, BodyReader.source(tokened).indexOf("secret"));
        assertEquals("address 10.0.0.9", BodyReader.source(anonymous));
        assertEquals("sse_a%2Bb", BodyReader.queryToken("channels=queue&token=sse_a%2Bb"), "raw, as sent");
        assertNull(BodyReader.queryToken("mytoken=x&tokens=y"));
    }

    /**
     * The container's input as a script: bytes that have arrived, whether the body has ended, or a failure.
     * At the end it is ready (Jetty offers the end of the body) unless {@link #readyAtEnd} is false (Tomcat).
     */
    private static final class ScriptedInput extends ServletInputStream {
        private final Deque<byte[]> arrived = new ArrayDeque<>();
        private boolean ended;
        private IOException failure;
        boolean readyAtEnd = true;

        void arrive(String text) {
            arrived.add(text.getBytes(StandardCharsets.UTF_8));
        }

        void end() {
            ended = true;
        }

        void fail(IOException cause) {
            failure = cause;
        }

        @Override
        public boolean isFinished() {
            return ended && arrived.isEmpty();
        }

        @Override
        public boolean isReady() {
            return failure != null || !arrived.isEmpty() || (ended && readyAtEnd);
        }

        @Override
        public void setReadListener(ReadListener listener) {
            // the test calls the reception's callbacks itself
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (arrived.isEmpty()) {
                if (ended) {
                    return -1;
                }
                throw new IllegalStateException("read while not ready");
            }
            byte[] next = arrived.poll();
            assertTrue(next.length <= length, "chunks in these tests fit the reader's buffer");
            System.arraycopy(next, 0, buffer, offset, next.length);
            return next.length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }
}
