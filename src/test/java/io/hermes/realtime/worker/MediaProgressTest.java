package io.hermes.realtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaProgressTest {

    @Test
    void aSingleFileMovesWithItsBytesAndStopsShortOfTheEndUntilYtDlpHasFinished() {
        MediaProgress progress = new MediaProgress(1);
        assertEquals(25.0, progress.onLine("downloading 250 1000 NA 100.5 7 18 NA NA").percentage());
        MediaProgress.Step last = progress.onLine("downloading 1000 1000 NA 100.5 0 18 NA NA");
        assertEquals(99.9, last.percentage(), "merging and moving still to come");
        assertEquals(1000, last.totalBytes());
        assertEquals(7L, progress.onLine("downloading 1000 1000 NA 100.5 7 18 NA NA").eta());
        assertFalse(progress.allPartsDone());
        progress.onLine("finished 1000 1000 NA NA NA 18 NA NA");
        assertTrue(progress.allPartsDone());
    }

    @Test
    void videoAndAudioShareThePercentageAndItNeverGoesBack() {
        MediaProgress progress = new MediaProgress(MediaProgress.partsOf("137+140"));
        List<Double> seen = new ArrayList<>();
        for (String line : List.of(
                "downloading 500 1000 NA 10 5 137 NA NA",
                "downloading 1000 1000 NA 10 0 137 NA NA",
                "finished 1000 1000 NA NA NA 137 NA NA",
                "downloading 10 NA 400 10 5 140 NA NA",
                "downloading 200 NA 400 10 5 140 NA NA",
                "downloading 400 NA 400 10 0 140 NA NA",
                "finished 400 400 NA NA NA 140 NA NA")) {
            seen.add(progress.onLine(line).percentage());
        }
        assertEquals(List.of(25.0, 50.0, 50.0, 51.2, 75.0, 99.9, 99.9), seen);
        assertTrue(progress.allPartsDone());
    }

    @Test
    void bytesAddUpAcrossPartsAndTheTotalIsKnownOnlyDuringTheLast() {
        MediaProgress progress = new MediaProgress(2);
        MediaProgress.Step first = progress.onLine("downloading 600 1000 NA 10 5 0 NA NA");
        assertEquals(-1, first.totalBytes(), "the second part's size is not known yet");
        assertNull(first.eta(), "nor the time left");
        progress.onLine("finished 1000 1000 NA NA NA 0 NA NA");
        MediaProgress.Step second = progress.onLine("downloading 100 400 NA 10 30 1 NA NA");
        assertEquals(1100, second.downloadedBytes());
        assertEquals(1400, second.totalBytes());
        assertEquals(30L, second.eta());
    }

    @Test
    void fragmentsCountWhenOnlyAnEstimateOfTheSizeExists() {
        MediaProgress progress = new MediaProgress(1);
        assertEquals(50.0, progress.onLine("downloading 826 NA 1652.0 27735.7 0 hls 2 4").percentage());
        assertEquals(75.0, progress.onLine("downloading 900 NA 90000.0 27735.7 0 hls 3 4").percentage(),
                "the estimate grows with each fragment; the fragment count does not go back");
    }

    @Test
    void linesThatAreNotProgressAreIgnored() {
        MediaProgress progress = new MediaProgress(1);
        assertNull(progress.onLine("downloading"));
        assertNull(progress.onLine("downloading NA NA NA NA NA x NA NA"));
        assertEquals(0.0, progress.onLine("downloading 5 NA NA NA NA x NA NA").percentage());
    }

    @Test
    void requestValuesAreJoinedToTheirOptionAndPathsAreRefused() throws Exception {
        List<String> arguments = MediaTransfer.arguments(new MediaTransfer.Options("--exec=x", "%(id)s.%(ext)s",
                true, List.of("en", "de"), true));
        assertTrue(arguments.contains("--format=--exec=x"), "a value stays the option's: " + arguments);
        assertFalse(arguments.contains("--exec=x"));
        assertTrue(arguments.contains("--output=%(id)s.%(ext)s"));
        assertTrue(arguments.contains("--sub-langs=en,de"));
        assertTrue(arguments.containsAll(List.of("--write-subs", "--write-thumbnail")));
        assertFalse(MediaTransfer.arguments(new MediaTransfer.Options("best", null, false, null, false)).stream()
                .anyMatch(argument -> argument.startsWith("--format")), "best is yt-dlp's own default");
        for (String template : List.of("../x.%(ext)s", "/etc/passwd", "a\\b", "-", "sub/%(title)s")) {
            assertRefused(new MediaTransfer.Options(null, template, false, null, false), template);
        }
        assertRefused(new MediaTransfer.Options("best video", null, false, null, false), "a space in a format");
        assertRefused(new MediaTransfer.Options(null, null, true, List.of("en,--exec"), false), "a comma in a language");
    }

    private static void assertRefused(MediaTransfer.Options options, String what) {
        try {
            MediaTransfer.arguments(options);
            throw new AssertionError("accepted " + what);
        } catch (TransferException refused) {
            assertEquals(TransferException.EXTRACTION_ERROR, refused.errorType(), what);
        }
    }
}
