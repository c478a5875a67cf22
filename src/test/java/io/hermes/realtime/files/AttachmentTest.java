package io.hermes.realtime.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttachmentTest {

    @Test
    void aPlainNameIsGivenBothWays() {
        assertEquals("attachment; filename=\"clip.mp4\"; filename*=UTF-8''clip.mp4", Attachment.of("clip.mp4"));
    }

    @Test
    void quotesBackslashesAndPercentSignsNeverReachTheQuotedName() {
        assertEquals("say _hi_ _ 100_.srt", Attachment.asciiFallback("say \"hi\" \\ 100%.srt"));
        assertEquals("say%20%22hi%22%20%5C%20100%25.srt", Attachment.encoded("say \"hi\" \\ 100%.srt"));
    }

    @Test
    void aNonAsciiNameHasOneStandInPerCharacterAndItsUtf8BytesEncoded() {
        assertEquals("Caf_ __.mkv", Attachment.asciiFallback("Café 日本.mkv"));
        assertEquals("Caf_ _.mkv", Attachment.asciiFallback("Café 🎬.mkv"));
        assertEquals("Caf%C3%A9%20%F0%9F%8E%AC.mkv", Attachment.encoded("Café 🎬.mkv"));
    }

    @Test
    void lineBreaksCannotStartAnotherHeader() {
        String header = Attachment.of("a\r\nSet-Cookie: x=1.txt");
        assertEquals("attachment; filename=\"a__Set-Cookie: x=1.txt\"; "
                + "filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.txt", header);
    }

    @Test
    void theMediaTypeComesFromTheExtensionInAnyCase() {
        assertEquals("video/mp4", MediaTypes.of("a.MP4"));
        assertEquals("video/x-matroska", MediaTypes.of("a.b.mkv"));
        assertEquals("audio/mp4", MediaTypes.of("song.m4a"));
        assertEquals("application/x-subrip", MediaTypes.of("clip.en.srt"));
        assertEquals("text/vtt", MediaTypes.of("clip.en.vtt"));
        assertEquals("image/webp", MediaTypes.of("thumb.webp"));
        assertEquals("application/octet-stream", MediaTypes.of("page.html"));
        assertEquals("application/octet-stream", MediaTypes.of("README"));
    }
}
