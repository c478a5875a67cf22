package io.hermes.realtime.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.hermes.realtime.downloads.Status;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ViewKeyTest {

    @Test
    void partsCannotRunIntoEachOther() {
        assertNotEquals(key().with("a;b").with("c").identity("1"), key().with("a").with("b;c").identity("1"));
        assertNotEquals(key().with("1:a;").identity("1"), key().with("1").with("a").identity("1"));
        assertNotEquals(key().with((String) null).identity("1"), key().with("").identity("1"));
        assertNotEquals(key().with((String) null).identity("1"), key().with("-").identity("1"));
    }

    @Test
    void theVersionAndTheDataSetAreInTheIdentity() {
        assertNotEquals(key().with("x").identity("1"), key().with("x").identity("2"));
        assertNotEquals(ViewKey.of(DataSet.DOWNLOADS, "v").identity("1"), ViewKey.of(DataSet.HISTORY, "v").identity("1"));
        assertEquals(key().with("x").with(5).identity("7"), key().with("x").with(5L).identity("7"));
    }

    @Test
    void aListedIdentityGivesTheKeyOfItsPartsOneByOne() {
        assertEquals(key().with("x").with(5).with((String) null).with(Status.QUEUED).identity("3"),
                key().withAll(Arrays.asList("x", 5, null, Status.QUEUED)).identity("3"));
    }

    @Test
    void etagsAreStrongQuotedAndUnlikeBodyHashes() {
        String etag = PolledResponses.etagOf(key().identity("1"));
        assertEquals(PolledResponses.etagOf(key().identity("1")), etag);
        assertNotEquals(PolledResponses.etagOf(key().identity("2")), etag);
        assertEquals(true, etag.matches("\"pv-[0-9a-f]{32}\""), etag);
    }

    private static ViewKey key() {
        return ViewKey.of(DataSet.DOWNLOADS, "view");
    }
}
