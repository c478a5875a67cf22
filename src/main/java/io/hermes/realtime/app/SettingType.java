package io.hermes.realtime.app;

import io.hermes.realtime.metrics.AddressAllowList;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a setting accepts: how its text becomes a value, the words saying what it accepts (used alike by
 * the start-up error and the README's table), and how a value may appear in the log.
 *
 * @param accepted what a valid text looks like, completing "expected …"
 * @param parser   turns a trimmed, non-blank text into the value; throws {@link IllegalArgumentException}
 *                 for a text it does not accept
 * @param shown    the value as the log may show it, credentials left out
 * @param quotable whether a rejected text may be quoted in the error; not when it may carry a password
 */
record SettingType<T>(String accepted, Function<String, T> parser, Function<T, String> shown, boolean quotable) {

    static SettingType<Integer> integer(int min, int max) {
        return plain("an integer from " + min + " to " + max, text -> {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        });
    }

    static SettingType<Long> longInteger(long min, long max) {
        return plain("an integer from " + min + " to " + max, text -> {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        });
    }

    /** Also takes 1/0, yes/no and on/off, in any case; the message names only the usual two. */
    static SettingType<Boolean> bool() {
        return plain("true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        });
    }

    /** Comma-separated items, each trimmed; empty items are dropped, so any text is accepted. */
    static SettingType<List<String>> list() {
        return plain("a comma-separated list", SettingType::items);
    }

    /** A list of secrets: the log shows how many there are, never what they are. */
    static SettingType<List<String>> secretList() {
        return new SettingType<>("a comma-separated list", SettingType::items, keys -> keys.size() + " hidden", true);
    }

    /** Any text, kept as it is; the log shows whether it is set, never what it is. */
    static SettingType<String> secret() {
        return new SettingType<>("any text", text -> text, text -> text.isEmpty() ? "unset" : "set, hidden", true);
    }

    /** Any text, kept as it is. */
    static SettingType<String> text() {
        return plain("any text", value -> value);
    }

    static SettingType<Path> path() {
        // Path.of throws InvalidPathException, an IllegalArgumentException, for what the file system cannot hold.
        return plain("a file system path", Path::of);
    }

    static SettingType<AddressAllowList> addresses() {
        return plain("comma-separated IP addresses or CIDR ranges, such as 127.0.0.1,10.0.0.0/8,::1",
                text -> AddressAllowList.parse(items(text)));
    }

    /** A Redis URL may carry a password: a rejected one is not quoted, and the log shows scheme, host and port. */
    static SettingType<URI> redisUri() {
        return new SettingType<>("redis://[user:password@]host:port or rediss://…", text -> {
            URI uri = URI.create(text);
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not a Redis URL");
            }
            return uri;
        }, uri -> uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort(), false);
    }

    /** Comma-separated {@code host:port} items (Sentinel addresses); empty is an empty list. */
    static SettingType<List<String>> hostPorts() {
        return plain("comma-separated host:port pairs, such as sentinel1:26379,sentinel2:26379", text -> {
            List<String> items = items(text);
            for (String item : items) {
                int colon = item.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("not host:port");
                }
                int port = Integer.parseInt(item.substring(colon + 1));
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("port out of range");
                }
            }
            return items;
        });
    }

    private static <T> SettingType<T> plain(String accepted, Function<String, T> parser) {
        return new SettingType<>(accepted, parser, String::valueOf, true);
    }

    private static List<String> items(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** The log's view of a value this type produced. */
    @SuppressWarnings("unchecked")
    String show(Object value) {
        return shown.apply((T) value);
    }
}
