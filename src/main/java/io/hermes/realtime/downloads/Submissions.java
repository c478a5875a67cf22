package io.hermes.realtime.downloads;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.RequestBody;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the fields shared by single and batch submissions; each problem names its field. */
final class Submissions {
    static final int MAX_URL_LENGTH = 2048;
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})?");
    /** Relative, segment by segment, no "." or ".." segments, no backslashes or control characters. */
    private static final Pattern DIRECTORY = Pattern.compile("(?!.*(^|/)\\.{1,2}(/|$))[A-Za-z0-9 _.()-]{1,100}(/[A-Za-z0-9 _.()-]{1,100}){0,9}");
    static final Set<String> PRIORITIES = Set.of("low", "normal", "high");

    private Submissions() {
    }

    /**
     * A URL as submitted: http or https, with a host, at most 2048 characters, and not refused by
     * {@code refusal} (whose reason becomes the 422's message, after the field's name).
     */
    static String url(String field, String text, UrlRefusal refusal) {
        if (text.codePointCount(0, text.length()) > MAX_URL_LENGTH) {
            throw ApiException.invalid("Field '" + field + "' must be at most " + MAX_URL_LENGTH + " characters long");
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty()) {
                Optional<String> refused = refusal.reasonFor(uri);
                if (refused.isPresent()) {
                    throw ApiException.invalid("Field '" + field + "': " + refused.get());
                }
                return uri.toString();
            }
        } catch (URISyntaxException malformed) {
            // reported below
        }
        throw ApiException.invalid("Field '" + field + "' must be an http or https URL with a host");
    }

    /** A single submission; its {@code metadata} may take up to {@code maxMetadataBytes} bytes as JSON. */
    static NewDownload single(RequestBody body, int maxMetadataBytes, UrlRefusal refusal) {
        return new NewDownload(url("url", body.string("url", 1, MAX_URL_LENGTH), refusal),
                body.string("format", 1, 100, "best"),
                body.string("outputTemplate", 1, 255, null),
                body.bool("downloadSubtitles", false),
                body.bool("downloadThumbnail", false),
                body.strings("subtitleLanguages", LANGUAGE, 20, "language codes such as en or pt-BR"),
                directory(body),
                body.object("metadata", maxMetadataBytes),
                "normal",
                null);
    }

    static String directory(RequestBody body) {
        return body.matching("outputDirectory", DIRECTORY, "a relative directory without '.' or '..' segments", null);
    }
}
