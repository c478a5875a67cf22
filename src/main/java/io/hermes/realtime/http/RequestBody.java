package io.hermes.realtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * A JSON request body, read with a size limit and checked field by field. Every problem becomes a
 * 413, 415 or 422 whose message names the field.
 */
public final class RequestBody {
    private final ObjectNode fields;

    private RequestBody(ObjectNode fields) {
        this.fields = fields;
    }

    /** Reads the body of {@code request}, refusing more than {@code maxBytes} without buffering it all. */
    public static RequestBody read(Json json, HttpServletRequest request, int maxBytes) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "Content-Type must be application/json");
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        JsonNode tree;
        try {
            tree = json.mapper().readTree(body);
        } catch (JsonProcessingException malformed) {
            throw ApiException.invalid("Request body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.invalid("Request body must be a JSON object");
        }
        return new RequestBody((ObjectNode) tree);
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "Request body exceeds " + maxBytes + " bytes");
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

    /** An optional list of distinct strings, each one of {@code allowed}; {@code fallback} when absent. */
    public java.util.List<String> stringList(String name, Set<String> allowed, java.util.List<String> fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isArray() || value.isEmpty()) {
            throw ApiException.invalid("Field '" + name + "' must be a non-empty array");
        }
        java.util.LinkedHashSet<String> items = new java.util.LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || !allowed.contains(item.textValue())) {
                throw ApiException.invalid("Field '" + name + "' may only contain "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            items.add(item.textValue());
        }
        return java.util.List.copyOf(items);
    }

    /** An optional ISO-8601 instant ({@code 2026-11-22T10:00:00Z}), or {@code null}. */
    public java.time.Instant instant(String name) {
        String text = string(name, 1, 64, null);
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException malformed) {
            throw ApiException.invalid("Field '" + name + "' must be an ISO-8601 timestamp with offset");
        }
    }

    /** An optional string matching {@code pattern}, described as {@code what} in the error. */
    public String matching(String name, java.util.regex.Pattern pattern, String what, String fallback) {
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

    /** An optional JSON object, returned as compact JSON text, or {@code null}. */
    public String object(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.invalid("Field '" + name + "' must be a JSON object");
        }
        return value.toString();
    }

    /** An optional array of up to {@code maxItems} strings, each matching {@code pattern}; {@code null} when absent. */
    public java.util.List<String> strings(String name, java.util.regex.Pattern pattern, int maxItems, String what) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw ApiException.invalid("Field '" + name + "' must be an array of at most " + maxItems + " items");
        }
        java.util.List<String> items = new java.util.ArrayList<>();
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
        if (text.length() < minLength || text.length() > maxLength) {
            throw ApiException.invalid("Field '" + name + "' must be " + minLength + " to " + maxLength + " characters long");
        }
        return text;
    }
}
