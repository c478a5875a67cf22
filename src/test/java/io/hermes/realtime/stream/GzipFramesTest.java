package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class GzipFramesTest {
    private final CompressionSlots slots = new CompressionSlots(4);
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    private static byte[] progress(int step) {
        return ("id: 1763805600" + (100 + step) + "-0\nevent: download_progress\ndata: {\"download_id\":\"d" + step % 3
                + "\",\"status\":\"downloading\",\"progress\":{\"percentage\":" + step + ".5,\"downloaded_bytes\":"
                + step * 1_048_577L + "}}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** What a client's decoder can produce from the bytes received so far, without waiting for more. */
    private static String inflateAvailable(byte[] received) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(received, 10, received.length - 10); // after the gzip header
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }

    @Test
    void afterEverySyncFlushTheClientCanDecodeEveryFrameAddedSoFar() throws Exception {
        GzipFrames gzip = slots.tryOpen();
        StringBuilder sent = new StringBuilder();
        for (int step = 0; step < 50; step++) {
            byte[] frame = progress(step);
            gzip.add(frame);
            sent.append(new String(frame, StandardCharsets.UTF_8));
            assertTrue(gzip.unflushed());
            gzip.syncFlush();
            assertFalse(gzip.unflushed());
            gzip.writeTo(wire);
            assertEquals(sent.toString(), inflateAvailable(wire.toByteArray()), "after frame " + step);
        }
        gzip.end();
    }

    @Test
    void aFinishedStreamIsACompleteGzipBodyWithItsTrailer() throws Exception {
        GzipFrames gzip = slots.tryOpen();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (int step = 0; step < 200; step++) {
            byte[] frame = progress(step);
            plain.write(frame);
            gzip.add(frame);
            if (step % 7 == 0) {
                gzip.syncFlush();
                gzip.writeTo(wire);
            }
        }
        gzip.finish();
        gzip.writeTo(wire);
        gzip.end();
        // GZIPInputStream checks the trailer's CRC-32 and length, and fails on a cut body.
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire.toByteArray()))) {
            assertEquals(plain.toString(StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(wire.size() < plain.size() / 4, wire.size() + " bytes for " + plain.size());
    }

    @Test
    void aFrameLargerThanTheBufferIsCompressedWhole() throws Exception {
        byte[] random = new byte[100_000];
        new Random(1).nextBytes(random); // incompressible: the output is larger than any buffer kept
        byte[] frame = ("event: snapshot\ndata: " + java.util.HexFormat.of().formatHex(random) + "\n\n")
                .getBytes(StandardCharsets.US_ASCII);
        GzipFrames gzip = slots.tryOpen();
        gzip.add(frame);
        gzip.syncFlush();
        assertTrue(gzip.pending() > 16 * 1024);
        gzip.writeTo(wire);
        assertEquals(0, gzip.pending());
        gzip.add(progress(1));
        gzip.finish();
        gzip.writeTo(wire);
        gzip.end();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire.toByteArray()))) {
            byte[] all = in.readAllBytes();
            assertEquals(frame.length + progress(1).length, all.length);
        }
    }

    @Test
    void slotsCapTheDeflatersAliveAndEachEndReleasesItsOwnOnce() {
        CompressionSlots two = new CompressionSlots(2);
        GzipFrames first = two.tryOpen();
        GzipFrames second = two.tryOpen();
        assertNotNull(first);
        assertNotNull(second);
        assertNull(two.tryOpen(), "beyond the cap a stream goes uncompressed");
        assertEquals(2, two.live());
        first.end();
        first.end();
        assertEquals(1, two.live(), "ending twice releases once");
        GzipFrames third = two.tryOpen();
        assertNotNull(third);
        second.end();
        third.end();
        assertEquals(0, two.live());
        assertFalse(new CompressionSlots(0).enabled());
    }

    @Test
    void gzipIsAcceptedAsRfc9110Says() {
        assertTrue(accepts("gzip, deflate, br"));
        assertTrue(accepts("br;q=1.0, GZIP;q=0.5"));
        assertTrue(accepts("x-gzip"));
        assertTrue(accepts("*"));
        assertTrue(accepts("identity", "gzip"), "several headers");
        assertFalse(accepts("gzip;q=0"));
        assertFalse(accepts("gzip;q=0.000, *"), "an explicit refusal wins over *");
        assertFalse(accepts("deflate, br"));
        assertFalse(accepts("gzip;q=high"));
        assertFalse(accepts(""));
        assertFalse(CompressionSlots.acceptsGzip(Collections.emptyEnumeration()));
    }

    private static boolean accepts(String... headers) {
        return CompressionSlots.acceptsGzip(Collections.enumeration(List.of(headers)));
    }

    @Test
    void writeHandsTheContainerTheBufferAndKeepsNoneOfItsBytesPending() throws IOException {
        GzipFrames gzip = slots.tryOpen();
        assertEquals(10, gzip.pending(), "the header waits for the first write");
        gzip.syncFlush();
        int written = gzip.writeTo(wire);
        assertEquals(wire.size(), written);
        assertEquals(0, gzip.pending());
        gzip.end();
    }
}
