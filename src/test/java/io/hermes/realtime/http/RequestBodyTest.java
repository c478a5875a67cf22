package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBodyTest {
    private static final Json JSON = new Json();

    private static RequestBody json(String body) {
        return parse("application/json", List.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static RequestBody parse(String contentType, List<String> encodings, byte[] body) {
        return RequestBody.parse(JSON, contentType, encodings, body);
    }

    /** The refusal of {@code body}, which must have {@code status} and name {@code mentions} in its message. */
    private static ApiException refused(int status, String mentions, Runnable reading) {
        ApiException refusal = assertThrows(ApiException.class, reading::run);
        assertEquals(status, refusal.status(), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(mentions), refusal.getMessage());
        return refusal;
    }

    @Test
    void oneObjectWithWhiteSpaceAroundItIsRead() {
        assertEquals("hello", json(" \n{\"message\":\"hello\"}\r\n\t ").string("message", 1, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"message\":\"x\"} xyz", "{\"message\":\"x\"}{\"message\":\"y\"}", "{} []", "{}}", "{} 1"})
    void anythingAfterTheDocumentIsRefused(String body) {
        refused(422, "data after its JSON document", () -> json(body));
    }

    @Test
    void aFieldGivenTwiceIsRefusedByName() {
        refused(422, "'message' appears more than once", () -> json("{\"message\":\"a\",\"message\":\"b\"}"));
        refused(422, "'title' appears more than once", () -> json("{\"metadata\":{\"title\":1,\"title\":2}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "\"text\"", "null", "{'message':'x'}", "\uFEFF{}"})
    void whatIsNotOneJsonObjectIsRefused(String body) {
        ApiException refusal = assertThrows(ApiException.class, () -> json(body));
        assertEquals(422, refusal.status());
        assertTrue(refusal.getMessage().startsWith("Request body"), refusal.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"", "application/json; profile=hermes"})
    void applicationJsonIsAcceptedWithParametersAndUtf8(String type) {
        assertEquals("x", parse(type, List.of(), "{\"m\":\"x\"}".getBytes(StandardCharsets.UTF_8)).string("m", 1, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/jsonx | application/json",
            "application/json-patch+json | application/json",
            "text/json | application/json",
            "application/x-www-form-urlencoded | application/json",
            "application/json; charset=iso-8859-1 | utf-8",
            "application/json; charset=utf-16 | utf-8"})
    void otherMediaTypesAndCharsetsAre415(String type, String mentions) {
        refused(415, mentions, () -> parse(type, List.of(), "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMissingContentTypeIs415() {
        refused(415, "application/json", () -> parse(null, List.of(), "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aContentEncodingOtherThanIdentityIs415NamingIt() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        refused(415, "'gzip'", () -> parse("application/json", List.of("gzip"), body));
        refused(415, "'br'", () -> parse("application/json", List.of("identity, br"), body));
        parse("application/json", List.of("identity"), body);
    }

    @Test
    void invalidUtf8IsRefusedRatherThanReplaced() {
        refused(422, "UTF-8", () -> parse("application/json", List.of(), new byte[] {'{', '"', 'm', '"', ':', '"',
                (byte) 0xFF, '"', '}'}));
        // A surrogate encoded on its own (CESU-8), which Java's lenient decoders would turn into a char.
        refused(422, "UTF-8", () -> parse("application/json", List.of(), new byte[] {'{', '"', 'm', '"', ':', '"',
                (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"message\":\"a\\ud800\"} | 'message'",
            "{\"message\":\"\\udc00b\"} | 'message'",
            "{\"metadata\":{\"title\":{\"x\":\"\\ud83d\"}}} | 'metadata.title.x'",
            "{\"urls\":[\"ok\",\"\\udfff\"]} | 'urls[1]'",
            "{\"metadata\":{\"\\ud800\":1}} | 'metadata' has a field name",
            "{\"\\ud800\":1} | Request body has a field name"})
    void aLoneSurrogateAnywhereIsRefusedNamingItsField(String body, String mentions) {
        ApiException refusal = refused(422, mentions, () -> json(body));
        assertTrue(refusal.getMessage().chars().noneMatch(c -> Character.isSurrogate((char) c)), "the message itself is valid text");
    }

    @Test
    void aSurrogatePairIsOneCharacterAndCountsOnce() {
        RequestBody body = json("{\"message\":\"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\"}");
        assertEquals("\uD83D\uDE00".repeat(3), body.string("message", 1, 3));
        refused(422, "1 to 2 characters", () -> body.string("message", 1, 2));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedNamingTheField() {
        String deep = "{\"a\":".repeat(RequestBody.MAX_DEPTH) + "1" + "}".repeat(RequestBody.MAX_DEPTH);
        json("{\"metadata\":" + deep.substring("{\"a\":".length(), deep.length() - 1) + "}");
        refused(422, "'metadata.a.a", () -> json("{\"metadata\":" + deep + "}"));
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-22T10:00:00Z, 2026-11-22T10:00:00Z",
            "2026-11-22T10:00:00.123456Z, 2026-11-22T10:00:00.123456Z",
            "2026-11-22T11:00:00+01:00, 2026-11-22T10:00:00Z",
            "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z, 9999-12-31T23:59:59Z"})
    void instantsInTheFormJavaScriptReadsAreAccepted(String given, String expected) {
        assertEquals(Instant.parse(expected), json("{\"at\":\"" + given + "\"}").instant("at"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+01:00", "2026-11-22T10:00:00", "2026-11-22 10:00:00Z",
            "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:00Z", "2026-11-22t10:00:00z",
            "２０２６-11-22T10:00:00Z"})
    void otherInstantsAreRefusedNamingTheField(String given) {
        refused(422, "'at' must be an ISO-8601 timestamp", () -> json("{\"at\":\"" + given + "\"}").instant("at"));
    }

    @Test
    void anAbsentInstantIsNull() {
        assertNull(json("{}").instant("at"));
    }

    @Test
    void anObjectIsKeptAsCompactJsonUpToItsLimitInBytes() {
        RequestBody body = json("{\"metadata\": {\"title\": \"é\"}}");
        assertEquals("{\"title\":\"é\"}", body.object("metadata", 14)); // é takes two bytes
        refused(422, "'metadata' must be at most 13 bytes of JSON", () -> body.object("metadata", 13));
        refused(422, "'metadata' must be a JSON object", () -> json("{\"metadata\":[1]}").object("metadata", 100));
    }
}
