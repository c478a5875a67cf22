package io.hermes.realtime.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON request body, as {@link BodyReader} received it, parsed strictly and checked field by field. Every
 * problem becomes a 415 or 422 whose message names the field, before anything is stored: one UTF-8 JSON
 * object, no repeated field, nothing after it, no unpaired UTF-16 surrogate (which could only be stored as
 * {@code ?}), no more than {@value #MAX_DEPTH} levels of objects and arrays. Lengths count characters
 * (code points).
 */
public final class RequestBody {
    static final int MAX_DEPTH = 20;
    /** Field paths quoted in messages are cut to this many characters; a key may be as long as the body. */
    private static final int MAX_QUOTED = 100;
    /** Jackson names a repeated field (STRICT_DUPLICATE_DETECTION) only in its message. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);
    /** What JavaScript's Date parses: four-digit years, seconds, an optional fraction, Z or an offset. */
    private static final Pattern TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private final ObjectNode fields;

    private RequestBody(ObjectNode fields) {
        this.fields = fields;
    }

    /** The body of {@code request}, which its servlet's {@link BodyReader} has received in full. */
    public static RequestBody read(Json json, HttpServletRequest request) {
        byte[] received = request.getAttribute(BodyReader.RECEIVED) instanceof byte[] bytes ? bytes : new byte[0];
        List<String> encodings = Collections.list(request.getHeaders("Content-Encoding"));
        return parse(json, request.getContentType(), encodings, received);
    }

    /** Checks the headers that describe {@code body}, then parses it. */
    static RequestBody parse(Json json, String contentType, List<String> contentEncodings, byte[] body) {
        requireJson(contentType);
        requireIdentity(contentEncodings);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException malformed) {
            throw ApiException.invalid("Request body is not valid UTF-8");
        }
        JsonNode tree = tree(json, text);
        if (tree == null || !tree.isObject()) {
            throw ApiException.invalid("Request body must be a JSON object");
        }
        check("", tree, 1);
        return new RequestBody((ObjectNode) tree);
    }

    /** {@code application/json}, with parameters, but no charset other than UTF-8: the body is decoded as that. */
    private static void requireJson(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            throw new ApiException(415, "Content-Type must be application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw new ApiException(415, "Content-Type charset must be utf-8");
                }
            }
        }
    }

    /** A compressed body would be parsed as if it were plain JSON; nothing here decompresses one. */
    private static void requireIdentity(List<String> contentEncodings) {
        for (String header : contentEncodings) {
            for (String coding : header.split(",")) {
                String name = coding.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
                    throw new ApiException(415, "Content-Encoding " + quoted(name)
                            + " is not supported: send the body uncompressed");
                }
            }
        }
    }

    /** Exactly one JSON document: a field given twice, or anything but white space after it, is refused. */
    private static JsonNode tree(Json json, String text) {
        ObjectReader reader = json.mapper().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        try (JsonParser parser = reader.createParser(text)) {
            JsonNode tree = reader.readTree(parser);
            try {
                if (parser.nextToken() != null) {
                    throw ApiException.invalid("Request body has data after its JSON document");
                }
            } catch (JsonProcessingException unreadable) {
                throw ApiException.invalid("Request body has data after its JSON document");
            }
            return tree;
        } catch (StreamConstraintsException tooBig) {
            throw ApiException.invalid("Request body nests too deeply or holds too long a number or string");
        } catch (JsonProcessingException malformed) {
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(malformed.getOriginalMessage()));
            if (duplicate.find()) {
                throw ApiException.invalid("Field " + quoted(duplicate.group(1)) + " appears more than once");
            }
            throw ApiException.invalid("Request body is not valid JSON");
        } catch (IOException impossible) { // the text is in memory
            throw new UncheckedIOException(impossible);
        }
    }

    /**
     * Refuses what could not be stored as sent: Jackson decodes the escape of a lone surrogate (U+D800 to
     * U+DFFF) into a Java string that Redis would receive with a {@code ?} in its place. Deep nesting serves
     * no field here, so it is refused too.
     */
    private static void check(String path, JsonNode node, int depth) {
        if (node.isContainerNode() && depth > MAX_DEPTH) {
            throw ApiException.invalid("Field " + quoted(path) + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isTextual() && hasLoneSurrogate(node.textValue())) {
            throw ApiException.invalid("Field " + quoted(path) + " contains an unpaired UTF-16 surrogate");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (hasLoneSurrogate(field.getKey())) {
                    throw ApiException.invalid((path.isEmpty() ? "Request body" : "Field " + quoted(path))
                            + " has a field name with an unpaired UTF-16 surrogate");
                }
                check(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), depth + 1);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(path + "[" + i + "]", node.get(i), depth + 1);
            }
        }
    }

    static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A name from the body, quoted for a message: cut short, and never with a lone surrogate in it. */
    private static String quoted(String name) {
        String shown = name;
        if (shown.codePointCount(0, shown.length()) > MAX_QUOTED) {
            shown = shown.substring(0, shown.offsetByCodePoints(0, MAX_QUOTED)) + "...";
        }
        StringBuilder safe = new StringBuilder(shown.length() + 2).append('\'');
        shown.codePoints().forEach(c -> safe.appendCodePoint(
                c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? 0xFFFD : c));
        return safe.append('\'').toString();
    }

    /** A required string whose length lies within the bounds. */
    public String string(String name, int minLength, int maxLength) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.invalid("Field '" + name + "' is required");
        }
        return checkedString(name, value, minLength, maxLength);
    }

    /** An optional string, {@code fallback} when absent or null. */
    public String string(String name, int minLength, int maxLength, String fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return checkedString(name, value, minLength, maxLength);
    }

    /** An optional string that must be one of {@code allowed}. */
    public String oneOf(String name, Set<String> allowed, String fallback) {
        String value = string(name, 0, 100, fallback);
        if (value != null && !allowed.contains(value)) {
            throw ApiException.invalid("Field '" + name + "' must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    /**
     * An optional list of distinct strings, each one of {@code allowed}; {@code fallback} when absent. An empty
     * array is an empty list (the upstream web app creates keys without permissions, and so does its API).
     */
    public List<String> stringList(String name, Set<String> allowed, List<String> fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isArray()) {
            throw ApiException.invalid("Field '" + name + "' must be an array");
        }
        java.util.LinkedHashSet<String> items = new java.util.LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || !allowed.contains(item.textValue())) {
                throw ApiException.invalid("Field '" + name + "' may only contain "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            items.add(item.textValue());
        }
        return List.copyOf(items);
    }

    /**
     * An optional instant, or {@code null}: ISO-8601 with a four-digit year and an offset
     * ({@code 2026-11-22T10:00:00Z}, {@code 2026-11-22T11:00:00.5+01:00}), in years 0000 to 9999 also in UTC,
     * so that it is echoed in the contract's form and JavaScript's {@code Date} can read it back.
     */
    public Instant instant(String name) {
        String text = string(name, 1, 64, null);
        if (text == null) {
            return null;
        }
        try {
            if (TIMESTAMP.matcher(text).matches()) {
                Instant instant = OffsetDateTime.parse(text).toInstant();
                int year = instant.atOffset(ZoneOffset.UTC).getYear();
                if (year >= 0 && year <= 9999) {
                    return instant;
                }
            }
        } catch (DateTimeParseException malformed) {
            // reported below
        }
        throw ApiException.invalid("Field '" + name + "' must be an ISO-8601 timestamp such as 2026-11-22T10:00:00Z,"
                + " with a four-digit year and an offset");
    }

    /** An optional string matching {@code pattern}, described as {@code what} in the error. */
    public String matching(String name, Pattern pattern, String what, String fallback) {
        String value = string(name, 1, 200, fallback);
        if (value != null && !pattern.matcher(value).matches()) {
            throw ApiException.invalid("Field '" + name + "' must be " + what);
        }
        return value;
    }

    /** An optional boolean. */
    public boolean bool(String name, boolean fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("Field '" + name + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** An optional JSON object as compact JSON text of at most {@code maxBytes} UTF-8 bytes, or {@code null}. */
    public String object(String name, int maxBytes) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.invalid("Field '" + name + "' must be a JSON object");
        }
        String text = value.toString();
        if (text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw ApiException.invalid("Field '" + name + "' must be at most " + maxBytes + " bytes of JSON");
        }
        return text;
    }

    /** An optional array of up to {@code maxItems} strings, each matching {@code pattern}; {@code null} when absent. */
    public List<String> strings(String name, Pattern pattern, int maxItems, String what) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw ApiException.invalid("Field '" + name + "' must be an array of at most " + maxItems + " items");
        }
        List<String> items = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || !pattern.matcher(item.textValue()).matches()) {
                throw ApiException.invalid("Field '" + name + "' must contain only " + what);
            }
            items.add(item.textValue());
        }
        return items;
    }

    /** The raw node of a field, or {@code null}, for fields with their own shape rules. */
    public JsonNode node(String name) {
        return fields.get(name);
    }

    /** An optional integer within bounds. */
    public int integer(String name, int min, int max, int fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiException.invalid("Field '" + name + "' must be an integer from " + min + " to " + max);
        }
        return value.intValue();
    }

    private static String checkedString(String name, JsonNode value, int minLength, int maxLength) {
        if (!value.isTextual()) {
            throw ApiException.invalid("Field '" + name + "' must be a string");
        }
        String text = value.textValue();
        int length = text.codePointCount(0, text.length());
        if (length < minLength || length > maxLength) {
            throw ApiException.invalid("Field '" + name + "' must be " + minLength + " to " + maxLength + " characters long");
        }
        return text;
    }
}
