package io.hermes.realtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeFileNamesTest {
    private static final URI NO_NAME = URI.create("https://example.test/");

    @TempDir
    Path dir;

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../etc/passwd|passwd",
        "a/b\\c|c",
        "C:\\Windows\\system32\\cmd.exe|cmd.exe",
        "..|download",
        ".|download",
        "...|download",
        ".bashrc|bashrc",
        "  spaced out.txt  |spaced out.txt",
        "invoice.pdf.|invoice.pdf",
        "what?<is>this*|what__is_this_",
        "a:b>c\"d.txt|a_b_c_d.txt",
        "COM1|COM1_",
        "com1.txt|com1_.txt",
        "nul.tar.gz|nul_.tar.gz",
        "LPT9 .log|LPT9_.log",
        "CONSOLE.txt|CONSOLE.txt",
        "report.pdf|report.pdf",
        "naïve résumé.pdf|naïve résumé.pdf",
    })
    void hostileNamesBecomePlainFileNames(String raw, String expected) {
        assertEquals(expected, SafeFileNames.sanitize(raw));
    }

    @Test
    void aPipeIsReplacedLikeTheOtherReservedCharacters() {
        assertEquals("a_b.txt", SafeFileNames.sanitize("a|b.txt"));
    }

    @Test
    void controlCharactersAreRemoved() {
        assertEquals("x", SafeFileNames.sanitize("\u0000x"));
        assertEquals("evilSet-Cookie_ a=b.txt", SafeFileNames.sanitize("evil\r\nSet-Cookie: a=b.txt"));
        assertEquals("tabbed.txt", SafeFileNames.sanitize("tab\tbed.txt"));
        assertEquals("bell.txt", SafeFileNames.sanitize("be\u0007ll\u007f\u0085.txt"));
    }

    @Test
    void invisibleFormattingCannotDisguiseTheExtension() {
        // U+202E shows "invoice\u202Efdp.exe" as "invoiceexe.pdf"
        assertEquals("invoicefdp.exe", SafeFileNames.sanitize("invoice\u202Efdp.exe"));
        assertEquals("zero.txt", SafeFileNames.sanitize("ze\u200Bro.txt"));
    }

    @Test
    void emptyAndMissingNamesFallBack() {
        assertEquals("download", SafeFileNames.sanitize(""));
        assertEquals("download", SafeFileNames.sanitize(null));
        assertEquals("download", SafeFileNames.sanitize("   "));
        assertEquals("download", SafeFileNames.sanitize("\u0000\r\n"));
        assertEquals("download", SafeFileNames.sanitize("dir/"));
    }

    @Test
    void aVeryLongNameIsCutTo150BytesKeepingItsExtension() {
        String name = SafeFileNames.sanitize("a".repeat(300) + ".mp4");

        assertEquals(150, utf8Length(name));
        assertTrue(name.endsWith(".mp4"), name);
    }

    @Test
    void aLongNameIsCutBetweenCharactersNeverInsideOne() {
        String accents = SafeFileNames.sanitize("é".repeat(200) + ".txt");
        String emoji = SafeFileNames.sanitize("😀".repeat(100) + ".txt");

        assertTrue(utf8Length(accents) <= 150 && accents.endsWith(".txt"), accents);
        assertEquals("é".repeat(73) + ".txt", accents);
        assertTrue(utf8Length(emoji) <= 150 && emoji.endsWith(".txt"), emoji);
        assertEquals("😀".repeat(36) + ".txt", emoji);
    }

    @Test
    void aLongExtensionIsTreatedAsPartOfTheName() {
        String name = SafeFileNames.sanitize("x." + "y".repeat(300));

        assertEquals(150, utf8Length(name));
        assertTrue(name.startsWith("x.yyy"), name);
    }

    @Test
    void sanitizingASafeNameChangesNothing() {
        for (String raw : List.of("../../etc/passwd", "COM1", "a".repeat(300) + ".mp4", "é".repeat(200),
                ". x .", "ok.txt", "x." + "y".repeat(300), "a b" + " ".repeat(200) + "c.txt")) {
            String once = SafeFileNames.sanitize(raw);

            assertEquals(once, SafeFileNames.sanitize(once), raw);
        }
    }

    @Test
    void contentDispositionFilenameIsUsed() {
        assertEquals("report.pdf", SafeFileNames.choose("attachment; filename=\"report.pdf\"", NO_NAME));
        assertEquals("report.pdf", SafeFileNames.choose("attachment; filename=report.pdf", NO_NAME));
        assertEquals("my report.pdf", SafeFileNames.choose("inline; filename=\"my report.pdf\"; size=12", NO_NAME));
        assertEquals("a_b;c.txt", SafeFileNames.choose("attachment; filename=\"a\\\"b;c.txt\"", NO_NAME));
    }

    @Test
    void theUtf8FilenameStarWinsOverThePlainOne() {
        String header = "attachment; filename=\"EURO rates.txt\"; filename*=utf-8''%e2%82%ac%20rates.txt";

        assertEquals("€ rates.txt", SafeFileNames.choose(header, NO_NAME));
        assertEquals("naïve.txt", SafeFileNames.choose("attachment; filename*=UTF-8'fr'na%C3%AFve.txt", NO_NAME));
        assertEquals("£.txt", SafeFileNames.choose("attachment; filename*=ISO-8859-1''%A3.txt", NO_NAME));
    }

    @Test
    void anUnusableFilenameStarFallsBackToThePlainOne() {
        assertEquals("plain.txt", SafeFileNames.choose(
                "attachment; filename*=UTF-8''bad%ZZ.txt; filename=\"plain.txt\"", NO_NAME));
        assertEquals("plain.txt", SafeFileNames.choose(
                "attachment; filename*=KOI8-R''%F0.txt; filename=\"plain.txt\"", NO_NAME));
    }

    @Test
    void rawUtf8InThePlainFilenameIsReadAsUtf8() {
        // The HTTP client hands header bytes over as ISO-8859-1 characters.
        String asReceived = new String("résumé.pdf".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

        assertEquals("résumé.pdf", SafeFileNames.choose("attachment; filename=\"" + asReceived + "\"", NO_NAME));
    }

    @Test
    void aHostileContentDispositionNameIsMadeSafe() {
        assertEquals("passwd", SafeFileNames.choose("attachment; filename=\"../../etc/passwd\"", NO_NAME));
        assertEquals("passwd", SafeFileNames.choose("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", NO_NAME));
    }

    @Test
    void withoutAUsableHeaderTheLastUrlSegmentIsUsed() {
        assertEquals("My File.iso", SafeFileNames.choose(null, URI.create("https://example.test/dl/My%20File.iso?x=1#f")));
        assertEquals("a+b.zip", SafeFileNames.choose("attachment", URI.create("https://example.test/a+b.zip")));
        assertEquals("file.zip", SafeFileNames.choose("attachment; filename=\"..\"",
                URI.create("https://example.test/file.zip;jsessionid=abc")));
        assertEquals("passwd", SafeFileNames.choose(null, URI.create("https://example.test/x/..%2F..%2Fetc%2Fpasswd")));
    }

    @Test
    void withoutAnyNameTheFileIsCalledDownload() {
        assertEquals("download", SafeFileNames.choose(null, URI.create("https://example.test")));
        assertEquals("download", SafeFileNames.choose(null, URI.create("https://example.test/dir/")));
        assertEquals("download", SafeFileNames.choose(null, URI.create("https://example.test/%2e%2e")));
        assertEquals("download", SafeFileNames.choose("attachment; filename=\"\"", NO_NAME));
    }

    @Test
    void reserveCreatesAnEmptyFileUnderTheGivenName() throws IOException {
        Path reserved = SafeFileNames.reserve(dir, "movie.mkv");

        assertEquals(dir.resolve("movie.mkv").toAbsolutePath(), reserved);
        assertEquals(0, Files.size(reserved));
    }

    @Test
    void takenNamesGetANumberBeforeTheExtensionAndTheExistingFileIsUntouched() throws IOException {
        Files.writeString(dir.resolve("movie.mkv"), "the first one");

        Path second = SafeFileNames.reserve(dir, "movie.mkv");
        Path third = SafeFileNames.reserve(dir, "movie.mkv");
        Path noExtension = SafeFileNames.reserve(dir, "README");
        Path noExtensionAgain = SafeFileNames.reserve(dir, "README");

        assertEquals("movie (1).mkv", second.getFileName().toString());
        assertEquals("movie (2).mkv", third.getFileName().toString());
        assertEquals("README (1)", noExtensionAgain.getFileName().toString());
        assertEquals("README", noExtension.getFileName().toString());
        assertEquals("the first one", Files.readString(dir.resolve("movie.mkv")));
    }

    @Test
    void aReservedNameIsAlwaysInsideTheDirectory() throws IOException {
        for (String hostile : List.of("../escape.txt", "/etc/passwd", "..", "a/../../b", "\\..\\x")) {
            Path reserved = SafeFileNames.reserve(dir, hostile);

            assertEquals(dir.toAbsolutePath().normalize(), reserved.getParent(), hostile);
        }
        assertFalse(Files.exists(dir.resolveSibling("escape.txt")));
    }
}
