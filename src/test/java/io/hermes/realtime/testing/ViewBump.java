package io.hermes.realtime.testing;

import io.hermes.realtime.polling.ViewVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * What a process that writes our keys directly must do afterwards: run {@code polling/bump.lua} for the
 * data sets it changed, so that polled views get new versions. Tests that seed Redis by hand use it.
 */
public final class ViewBump {
    private static final String SOURCE = load();

    private ViewBump() {
    }

    /** Bumps {@code dataSets} ({@code downloads}, {@code history}, {@code notifications}). */
    public static void bump(Jedis jedis, String... dataSets) {
        jedis.eval(SOURCE, List.of(ViewVersions.KEY), List.of(dataSets));
    }

    private static String load() {
        try (InputStream in = ViewVersions.class.getResourceAsStream("bump.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
