package io.hermes.realtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class YtDlpErrorsTest {

    @Test
    void theLastErrorLineLosesItsExtractorPrefix() {
        assertEquals("Unable to download webpage: HTTP Error 404: Not Found", YtDlpErrors.lastError(List.of(
                "WARNING: [generic] Falling back on generic information extractor",
                "ERROR: [generic] clip: Unable to download webpage: HTTP Error 404: Not Found")));
        assertEquals("second", YtDlpErrors.lastError(List.of("ERROR: first", "ERROR: second", "done")));
    }

    @Test
    void ytDlpsAdviceToReportTheIssueIsLeftOut() {
        assertEquals("Unable to download webpage: HTTP Error 404: File not found (caused by <HTTPError 404: 'File not "
                + "found'>)", YtDlpErrors.lastError(List.of("ERROR: [generic] None: Unable to download webpage: HTTP "
                + "Error 404: File not found (caused by <HTTPError 404: 'File not found'>); please report this issue "
                + "on  https://github.com/yt-dlp/yt-dlp/issues?q= , filling out the appropriate issue template.")));
    }

    @Test
    void adviceForTheCommandLineIsLeftOut() {
        assertEquals("Requested format is not available", YtDlpErrors.lastError(List.of(
                "ERROR: [generic] clip: Requested format is not available. Use --list-formats for a list of available"
                        + " formats")));
    }

    @Test
    void anUnsupportedUrlIsRecognised() {
        String message = YtDlpErrors.lastError(List.of("ERROR: Unsupported URL: http://example.com/"));
        assertEquals("Unsupported URL: http://example.com/", message);
        assertTrue(YtDlpErrors.unsupportedUrl(message));
        assertFalse(YtDlpErrors.unsupportedUrl("Unable to download webpage: HTTP Error 404: Not Found"));
    }

    @Test
    void withoutAnErrorLineTheLastLineSpeaks() {
        assertEquals("yt-dlp failed without a message", YtDlpErrors.lastError(List.of()));
        assertEquals("yt-dlp failed: Killed", YtDlpErrors.lastError(List.of("WARNING: slow", "Killed")));
    }

    @Test
    void aLongOrMultiLineMessageComesOutOnOneShortLine() {
        assertTrue(YtDlpErrors.lastError(List.of("ERROR: " + "x".repeat(1000))).length() <= 300);
        assertEquals("a b c", YtDlpErrors.trim("  a\n b\t\tc "));
    }
}
