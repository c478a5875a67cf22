package io.hermes.realtime.downloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming read of a record's progress gives, byte for byte, the JSON that the tree read before it
 * gave: the tree-based code is kept here, as it was, as the reference.
 */
class StoredProgressTest {
    private static final Json JSON = new Json();

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"percentage\":42.0,\"status\":\"downloading\",\"downloaded_bytes\":420,\"total_bytes\":1000,\"speed\":100.0,\"eta\":6}",
            "{\"percentage\":100.0,\"status\":\"completed\",\"downloaded_bytes\":123456789012,\"total_bytes\":123456789012,\"speed\":null,\"eta\":0}",
            "{\"percentage\":12.5,\"status\":\"downloading\",\"downloaded_bytes\":0,\"total_bytes\":null,\"speed\":1.2345678E7,\"eta\":null}",
            "{\"percentage\":42,\"speed\":99999999999999999999999,\"eta\":1.5e3,\"total_bytes\":-1}",
            "{\"percentage\":42.50,\"downloaded_bytes\":1e400,\"speed\":-0.0,\"eta\":0.1}",
            "{\"status\":7}", "{\"status\":7.50}", "{\"status\":true}", "{\"status\":false}", "{\"status\":null}",
            "{\"status\":\"\"}", "{\"status\":{\"nested\":1}}", "{\"status\":[1,2]}", "{\"status\":\"caf\\u00e9 \\\"q\\\"\"}",
            "{\"percentage\":\"fast\",\"downloaded_bytes\":true,\"total_bytes\":{},\"speed\":[],\"eta\":\"3\"}",
            "{\"percentage\":1,\"percentage\":2,\"status\":\"a\",\"status\":null}",
            "{\"other\":{\"percentage\":5,\"deep\":[{\"status\":\"x\"}]},\"eta\":9}",
            "{}", "[]", "[1,2]", "42", "\"text\"", "null", "true", "", "   ",
            "not json", "{\"percentage\":1", "{\"percentage\":1,}", "{\"percentage\":1}{", "{\"percentage\":1} trailing",
            "{\"eta\":5,\"other\":{\"broken\":}", "{\"percentage\":NaN}", "{'percentage':1}",
    })
    void theStreamingReadWritesWhatTheTreeReadWrote(String stored) {
        for (String recordStatus : new String[] {"downloading", null}) {
            String expected = JSON.write(treeView(JSON.mapper(), stored, recordStatus));
            String actual = JSON.write(StoredProgress.view(JSON.mapper().getFactory(), stored, recordStatus));
            assertEquals(expected, actual, stored);
        }
    }

    @org.junit.jupiter.api.Test
    void anAbsentProgressIsTheDefaults() {
        assertEquals("{\"percentage\":0,\"status\":\"queued\",\"downloadedBytes\":0,\"totalBytes\":null,"
                + "\"speed\":null,\"eta\":null}", JSON.write(StoredProgress.view(JSON.mapper().getFactory(), null, "queued")));
        assertEquals(JSON.write(treeView(JSON.mapper(), null, "queued")),
                JSON.write(StoredProgress.view(JSON.mapper().getFactory(), null, "queued")));
    }

    @org.junit.jupiter.api.Test
    void aStepStoredWhileRunningSaysTheRecordsStatusOnceItEnded() {
        String stored = "{\"percentage\":42.0,\"status\":\"downloading\",\"downloaded_bytes\":420}";
        assertEquals("cancelled", StoredProgress.view(JSON.mapper().getFactory(), stored, "cancelled").get("status"));
    }

    /** {@code Download.statusView}'s progress before the streaming read, but for the record's status winning. */
    private static Map<String, Object> treeView(ObjectMapper mapper, String json, String recordStatus) {
        JsonNode progress;
        if (json == null) {
            progress = mapper.createObjectNode();
        } else {
            try {
                progress = mapper.readTree(json);
            } catch (IOException corrupt) {
                progress = mapper.createObjectNode();
            }
        }
        Map<String, Object> progressView = new LinkedHashMap<>();
        progressView.put("percentage", number(progress, "percentage", 0));
        // The record's status wins over the stored step's (issue 14: cancelled downloads said "downloading").
        progressView.put("status", recordStatus != null ? recordStatus : progress.path("status").asText(null));
        progressView.put("downloadedBytes", number(progress, "downloaded_bytes", 0));
        progressView.put("totalBytes", number(progress, "total_bytes", null));
        progressView.put("speed", number(progress, "speed", null));
        progressView.put("eta", number(progress, "eta", null));
        return progressView;
    }

    private static Object number(JsonNode node, String field, Object fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.numberValue();
    }
}
