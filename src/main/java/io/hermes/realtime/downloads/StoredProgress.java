package io.hermes.realtime.downloads;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code progress} object of a download's REST view, read from the record's {@code progress} JSON
 * with Jackson's streaming parser: a queue page reads fifty of them, and building a tree for each cost
 * more than the rest of the view. The values are exactly those the tree gave before:
 * <ul>
 * <li>a number field that is absent or {@code null} takes its default; a number keeps Jackson's type
 *     for it (Integer, Long, BigInteger or Double), so it is written back the same; any other value is null;
 * <li>{@code status} is the record's status whenever the record has one: a step stored while the download
 *     ran must not say {@code downloading} after it was cancelled or finished. Without a record status,
 *     text stays text; a number or boolean becomes its text; an object or array becomes "";
 * <li>a duplicated field counts with its last value; JSON that does not parse, or is not an object, reads
 *     as an empty object.
 * </ul>
 */
final class StoredProgress {
    /** The stored (snake_case) names, in the order of {@link #VIEW_NAMES}. */
    private static final String[] STORED_NAMES = {"percentage", "status", "downloaded_bytes", "total_bytes", "speed", "eta"};
    private static final String[] VIEW_NAMES = {"percentage", "status", "downloadedBytes", "totalBytes", "speed", "eta"};
    private static final Object[] DEFAULTS = {0, null, 0, null, null, null};
    private static final int STATUS = 1;
    /** An absent field, or one whose value is JSON {@code null}: both take the default. */
    private static final Object UNSET = new Object();

    private StoredProgress() {
    }

    /** The REST {@code progress} object for a record whose status is {@code recordStatus}. */
    static Map<String, Object> view(JsonFactory factory, String stored, String recordStatus) {
        Object[] values = stored == null ? unset() : read(factory, stored);
        Map<String, Object> view = new LinkedHashMap<>();
        for (int i = 0; i < VIEW_NAMES.length; i++) {
            Object value = values[i];
            if (i == STATUS && recordStatus != null) {
                value = recordStatus;
            } else if (value == UNSET) {
                value = i == STATUS ? null : DEFAULTS[i];
            }
            view.put(VIEW_NAMES[i], value);
        }
        return view;
    }

    private static Object[] read(JsonFactory factory, String stored) {
        Object[] values = unset();
        try (JsonParser parser = factory.createParser(stored)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return unset();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int index = indexOf(parser.currentName());
                JsonToken token = parser.nextToken();
                if (index >= 0) {
                    values[index] = index == STATUS ? text(parser, token) : number(parser, token);
                }
                // Nested values are skipped, but still parsed: malformed JSON anywhere reads as empty, as a tree did.
                parser.skipChildren();
            }
            return values;
        } catch (IOException corrupt) {
            return unset();
        }
    }

    private static Object number(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NULL -> UNSET;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            default -> null;
        };
    }

    private static Object text(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NULL -> UNSET;
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> String.valueOf(parser.getNumberValue());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> "";
        };
    }

    private static int indexOf(String name) {
        for (int i = 0; i < STORED_NAMES.length; i++) {
            if (STORED_NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Object[] unset() {
        Object[] values = new Object[STORED_NAMES.length];
        Arrays.fill(values, UNSET);
        return values;
    }
}
