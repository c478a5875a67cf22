package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextFormatTest {

    @Test
    void familyStartsWithHelpThenType() {
        TextFormat out = new TextFormat();
        out.family("hermes_x_total", "Things counted", "counter");
        out.sample("hermes_x_total", null, null, 7L);
        assertEquals("# HELP hermes_x_total Things counted\n# TYPE hermes_x_total counter\nhermes_x_total 7\n",
                out.toString());
    }

    @Test
    void helpEscapesBackslashAndLineFeedButNotQuotes() {
        TextFormat out = new TextFormat();
        out.family("m", "a \\ b\nc \"d\"", "gauge");
        assertEquals("# HELP m a \\\\ b\\nc \"d\"\n# TYPE m gauge\n", out.toString());
    }

    @Test
    void labelValueEscapesBackslashQuoteAndLineFeed() {
        TextFormat out = new TextFormat();
        out.sample("m", "channel", "a\\b\"c\nd", 1L);
        assertEquals("m{channel=\"a\\\\b\\\"c\\nd\"} 1\n", out.toString());
    }

    @Test
    void countersKeepEveryDigitBeyondWhatADoubleHolds() {
        TextFormat out = new TextFormat();
        out.sample("m_total", null, null, 9_007_199_254_740_993L);
        assertEquals("m_total 9007199254740993\n", out.toString());
    }

    @ParameterizedTest
    @CsvSource({"NaN, NaN", "Infinity, +Inf", "-Infinity, -Inf", "3, 3", "-2, -2", "0, 0", "0.001, 0.001",
            "2.5, 2.5", "0.0000123, 1.23E-5", "1e20, 1.0E20"})
    void numbersAreSpelledAsPrometheusReadsThem(double value, String expected) {
        assertEquals(expected, TextFormat.number(value));
    }
}
