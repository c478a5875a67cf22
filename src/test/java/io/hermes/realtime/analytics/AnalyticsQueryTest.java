package io.hermes.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.http.ApiException;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyticsQueryTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-11-22");

    private static AnalyticsQuery query(Map<String, String> parameters) {
        return new AnalyticsQuery(parameters::get);
    }

    private static void assertRejected(String parameter, Runnable call) {
        ApiException refused = assertThrows(ApiException.class, call::run);
        assertEquals(422, refused.status());
        assertTrue(refused.getMessage().contains("'" + parameter + "'"), refused.getMessage());
    }

    @Test
    void periodDefaultsToAWeek() {
        assertEquals(Period.WEEK, query(Map.of()).period());
        assertEquals(Period.WEEK, query(Map.of("period", "")).period());
    }

    @Test
    void valuesAreTakenAsSentNotTrimmed() {
        for (String sent : new String[] {" ", "week\n", " week", "week\u0000", "WEEK"}) {
            assertRejected("period", () -> query(Map.of("period", sent)).period());
        }
        assertRejected("status", () -> query(Map.of("status", "failed\n")).status());
        assertRejected("start_date", () -> query(Map.of("start_date", "2026-11-01 ")).date("start_date"));
    }

    @Test
    void eachPeriodCoversItsDaysEndingToday() {
        assertEquals(new DateRange(TODAY, TODAY), query(Map.of("period", "day")).period().endingOn(TODAY));
        assertEquals(new DateRange(LocalDate.parse("2026-11-16"), TODAY), Period.WEEK.endingOn(TODAY));
        assertEquals(30, Period.MONTH.endingOn(TODAY).dayCount());
        assertEquals(365, query(Map.of("period", "year")).period().endingOn(TODAY).dayCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fortnight", "WEEK", "7", "week;drop"})
    void anUnknownPeriodIsRejectedNamingTheParameter(String value) {
        assertRejected("period", () -> query(Map.of("period", value)).period());
    }

    @Test
    void withoutDatesTheRangeIsTheDefaultDaysEndingToday() {
        AnalyticsQuery query = query(Map.of());
        assertFalse(query.hasDates());
        assertEquals(new DateRange(LocalDate.parse("2026-10-24"), TODAY), query.range(TODAY, 30));
    }

    @Test
    void explicitDatesWinOverThePeriod() {
        AnalyticsQuery query = query(Map.of("period", "year", "start_date", "2026-03-01", "end_date", "2026-03-04"));
        assertTrue(query.hasDates());
        assertEquals(new DateRange(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-04")),
                query.range(TODAY, query.period().days()));
    }

    @Test
    void aMissingEndIsTodayAndAMissingStartIsTheDefaultDaysBeforeTheEnd() {
        assertEquals(new DateRange(LocalDate.parse("2026-11-01"), TODAY),
                query(Map.of("start_date", "2026-11-01")).range(TODAY, 7));
        assertEquals(new DateRange(LocalDate.parse("2026-02-24"), LocalDate.parse("2026-03-02")),
                query(Map.of("end_date", "2026-03-02")).range(TODAY, 7));
        LocalDate future = LocalDate.parse("2027-01-01");
        assertEquals(new DateRange(future, future), query(Map.of("start_date", "2027-01-01")).range(TODAY, 7),
                "a start in the future is not a range that ends before it starts");
    }

    @Test
    void oneDayAndThreeHundredSixtySixDaysAreAccepted() {
        assertEquals(1, query(Map.of("start_date", "2026-03-01", "end_date", "2026-03-01")).range(TODAY, 7).dayCount());
        assertEquals(366, query(Map.of("start_date", "2024-01-01", "end_date", "2024-12-31")).range(TODAY, 7).dayCount());
    }

    @Test
    void aRangeLongerThan366DaysIsRejected() {
        assertRejected("start_date",
                () -> query(Map.of("start_date", "2025-01-01", "end_date", "2026-01-02")).range(TODAY, 7));
        assertRejected("end_date",
                () -> query(Map.of("start_date", "2020-01-01")).range(TODAY, 7));
    }

    @Test
    void anEndBeforeTheStartIsRejected() {
        assertRejected("end_date", () -> query(Map.of("start_date", "2026-03-02", "end_date", "2026-03-01"))
                .range(TODAY, 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-01", "2026-02-30", "26-03-01", "2026/03/01", "2026-3-1", "today",
            "+10000-01-01", "2026-03-01T00:00:00Z", "0000-01-01"})
    void aMalformedDateIsRejectedNamingTheParameter(String value) {
        assertRejected("start_date", () -> query(Map.of("start_date", value)).range(TODAY, 7));
        assertRejected("end_date", () -> query(Map.of("end_date", value)).range(TODAY, 7));
    }

    @Test
    void statusIsATerminalStatusOrAbsent() {
        assertNull(query(Map.of()).status());
        for (String status : AnalyticsQuery.TERMINAL) {
            assertEquals(status, query(Map.of("status", status)).status());
        }
        for (String other : new String[] {"queued", "pending", "downloading", "COMPLETED", "all"}) {
            assertRejected("status", () -> query(Map.of("status", other)).status());
        }
    }

    @Test
    void textIsBoundedInLength() {
        assertEquals(" youtube.com ", query(Map.of("extractor", " youtube.com ")).text("extractor", 255), "as sent");
        assertEquals("\uD83D\uDE00".repeat(255),
                query(Map.of("extractor", "\uD83D\uDE00".repeat(255))).text("extractor", 255), "code points count");
        assertRejected("extractor", () -> query(Map.of("extractor", "youtube\u0000")).text("extractor", 255));
        assertNull(query(Map.of("extractor", "")).text("extractor", 255));
        assertRejected("extractor", () -> query(Map.of("extractor", "x".repeat(256))).text("extractor", 255));
    }

    @Test
    void aRangeKnowsItsDaysAndItsInclusiveMillisecondBounds() {
        DateRange range = new DateRange(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertEquals(2, range.days().size());
        assertEquals(LocalDate.parse("2026-03-02"), range.days().get(1));
        assertEquals(java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli(), range.startMillis());
        assertEquals(java.time.Instant.parse("2026-03-02T23:59:59.999Z").toEpochMilli(), range.endMillis());
    }
}
