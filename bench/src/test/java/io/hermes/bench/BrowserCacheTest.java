package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BrowserCacheTest {
    @Test
    void revalidatesWithTheLastEtagAndGivesTheStoredBodyFor304() {
        BrowserCache cache = new BrowserCache();
        assertNull(cache.ifNoneMatch("/api/v1/queue?limit=50"));
        cache.resolve("/api/v1/queue?limit=50", 200, "\"v1\"", new byte[] {1, 2});
        assertEquals("\"v1\"", cache.ifNoneMatch("/api/v1/queue?limit=50"));
        assertArrayEquals(new byte[] {1, 2}, cache.resolve("/api/v1/queue?limit=50", 304, "\"v1\"", new byte[0]));
        cache.resolve("/api/v1/queue?limit=50", 200, "\"v2\"", new byte[] {3});
        assertEquals("\"v2\"", cache.ifNoneMatch("/api/v1/queue?limit=50"));
        assertNull(cache.ifNoneMatch("/api/v1/stats?period=week"), "each target has its own entry");
    }

    @Test
    void keepsNothingWithoutAnEtagOrForAnError() {
        BrowserCache cache = new BrowserCache();
        cache.resolve("/a", 200, null, new byte[] {1});
        cache.resolve("/b", 500, "\"x\"", new byte[] {1});
        assertNull(cache.ifNoneMatch("/a"));
        assertNull(cache.ifNoneMatch("/b"));
        assertThrows(IllegalStateException.class, () -> cache.resolve("/a", 304, null, new byte[0]));
    }
}
