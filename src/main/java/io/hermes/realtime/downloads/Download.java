package io.hermes.realtime.downloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A download record as read from its Redis hash, with the contract's views of it. */
public record Download(Map<String, String> fields) {


    public String id() {
        return fields.get("id");
    }

    public String owner() {
        return fields.get("owner");
    }

    public String url() {
        return fields.get("url");
    }

    public Status status() {
        return Status.valueOf(fields.get("status").toUpperCase());
    }

    public String get(String field) {
        return fields.get(field);
    }

    /** The REST DownloadStatus of contract section 3 (camelCase, absent fields as null). */
    public Map<String, Object> statusView(ObjectMapper mapper) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("downloadId", id());
        view.put("status", fields.get("status"));
        view.put("progress", StoredProgress.view(mapper.getFactory(), fields.get("progress"), fields.get("status")));
        view.put("currentFilename", fields.get("current_filename"));
        view.put("message", fields.get("message"));
        view.put("error", fields.get("error"));
        view.put("result", result(true, mapper));
        view.put("createdAt", fields.get("created_at"));
        view.put("startedAt", fields.get("started_at"));
        view.put("completedAt", fields.get("completed_at"));
        view.put("owner", owner());
        return view;
    }

    /** The snake_case {@code result} of events and the progress key. */
    Map<String, Object> resultWireForm(ObjectMapper mapper) {
        return result(false, mapper);
    }

    /**
     * This download once its transfer named the file {@code fileName} (empty: not yet), as the record says
     * after the transfer's first step: what that transfer's steps show as the result's title.
     */
    Download named(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.equals(fields.get("current_filename"))) {
            return this;
        }
        Map<String, String> named = new HashMap<>(fields);
        named.put("current_filename", fileName);
        return new Download(named);
    }

    /**
     * The download's result, in the REST API's camelCase or the events' snake_case. The upstream web app
     * titles a download's card with {@code result.title}, else {@code result.url}, while it runs too (contract
     * section 7), so the result is there from the submit on: the URL at once, the title as soon as the
     * transfer has named the file (the file's final name once completed), the size once completed.
     */
    private Map<String, Object> result(boolean camelCase, ObjectMapper mapper) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", url());
        result.put("title", fields.get("title") != null ? fields.get("title") : fields.get("current_filename"));
        result.put(camelCase ? "fileSize" : "file_size",
                fields.containsKey("file_size") ? Long.parseLong(fields.get("file_size")) : null);
        String duration = fields.get("media_duration"); // the media's length; a plain file has none
        result.put("duration", duration == null ? null : Double.parseDouble(duration));
        result.put(camelCase ? "thumbnailUrl" : "thumbnail_url", fields.get("thumbnail_url"));
        result.put("extractor", fields.get("extractor"));
        result.put("description", fields.get("description"));
        result.put("files", files(mapper)); // every file written: the video first, then subtitles and thumbnail
        return result;
    }

    /**
     * The files this download wrote, relative to the download directory: its {@code files} (a JSON array, the
     * main file first, written when there are several: a video with its subtitles and thumbnail), else its
     * {@code file_path}; empty before it completed.
     */
    public List<String> files(ObjectMapper mapper) {
        String files = fields.get("files");
        if (files != null) {
            try {
                JsonNode array = mapper.readTree(files);
                if (array != null && array.isArray()) {
                    List<String> named = new java.util.ArrayList<>(array.size());
                    array.forEach(item -> {
                        if (item.isTextual()) {
                            named.add(item.textValue());
                        }
                    });
                    return named;
                }
            } catch (IOException malformed) {
                // read as absent: file_path still names the main file
            }
        }
        String path = fields.get("file_path");
        return path == null || path.isEmpty() ? List.of() : List.of(path);
    }

    JsonNode progress(ObjectMapper mapper) {
        String json = fields.get("progress");
        if (json == null) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(json);
        } catch (IOException corrupt) {
            return mapper.createObjectNode();
        }
    }
}
