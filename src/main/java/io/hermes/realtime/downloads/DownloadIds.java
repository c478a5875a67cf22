package io.hermes.realtime.downloads;

import java.util.regex.Pattern;

/**
 * Download ids as they may appear in paths and Redis keys. Anything else (traversal, CR/LF, very long
 * strings) is treated as an id that does not exist, so raw input never reaches a key.
 */
public final class DownloadIds {
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Prefix of the record hashes; with an id read from our own indexes it needs no check. */
    static final String RECORD_PREFIX = "hermes:download:";

    private DownloadIds() {
    }

    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }

    /** The Redis hash holding a download's record. */
    public static String recordKey(String id) {
        return RECORD_PREFIX + checked(id);
    }

    /** The Redis key of a download's progress snapshot (contract section 5). */
    public static String progressKey(String id) {
        return "download:" + checked(id) + ":progress";
    }

    private static String checked(String id) {
        if (!isWellFormed(id)) {
            throw new IllegalArgumentException("malformed download id");
        }
        return id;
    }
}
