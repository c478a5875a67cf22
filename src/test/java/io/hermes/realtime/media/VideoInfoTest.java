package io.hermes.realtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VideoInfo and FormatInfo from yt-dlp JSON shaped like what {@code yt-dlp -J --flat-playlist} prints. */
class VideoInfoTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String DASH = """
            {"id": "clip", "title": "clip", "extractor": "generic", "_type": "video",
             "webpage_url": "http://media.example/dash/clip.mpd", "upload_date": "20261207", "duration": 4,
             "formats": [
               {"format_id": "1", "ext": "m4a", "resolution": "audio only", "vcodec": "none", "acodec": "mp4a.40.2",
                "tbr": 69.432, "format_note": "DASH audio", "filesize_approx": 34716.5},
               {"format_id": "0", "ext": "mp4", "resolution": "640x360", "vcodec": "avc1.42c01e", "acodec": "none",
                "tbr": 239.46, "fps": 25, "format_note": "DASH video", "filesize": 119730}],
             "subtitles": {}}
            """;

    private static final String PAGE = """
            {"id": "page-1", "title": "Test Pattern (1)", "description": "Four seconds", "extractor": "html5",
             "webpage_url": "http://media.example/page.html", "view_count": 12,
             "thumbnail": "http://media.example/poster.jpg",
             "thumbnails": [{"url": "http://media.example/poster.jpg", "id": "0"},
                            {"url": "javascript:alert(1)"},
                            {"url": "https://media.example/big.jpg", "width": 1280, "height": 720}],
             "formats": [{"format_id": "0", "ext": "mp4", "vcodec": null, "acodec": null, "url": "x"}],
             "subtitles": {"en": [{"url": "http://media.example/clip.en.vtt", "ext": "vtt"}],
                           "de": [{"data": "WEBVTT", "ext": "vtt"}]}}
            """;

    private static final String FEED = """
            {"_type": "playlist", "id": "http://media.example/feed.xml", "title": "Test Feed",
             "description": "Three clips", "extractor": "generic", "webpage_url": "http://media.example/feed.xml",
             "entries": [
               {"_type": "url_transparent", "title": "Clip 1",
                "url": "/clip.mp4?n=1#__youtubedl_smuggle=%7B%22force_videoid%22%3A+%22clip-1%22%7D"},
               {"_type": "url", "id": "two", "title": "Clip 2", "url": "https://cdn.example/2.mp4", "duration": 4.5,
                "thumbnails": [{"url": "https://cdn.example/2.jpg"}], "uploader": "someone"},
               null,
               {"_type": "url", "id": "bad", "title": "Bad", "url": "javascript:alert(1)"},
               {"_type": "url", "id": "three", "url": "clips/3.mp4"}]}
            """;

    private static VideoInfo read(String json, String url) throws Exception {
        return VideoInfo.of(MAPPER.readTree(json), url);
    }

    @Test
    void aVideoHasItsFormatsAndNoPlaylistFields() throws Exception {
        VideoInfo info = read(DASH, "http://media.example/dash/clip.mpd");
        assertEquals("clip", info.id());
        assertEquals(4.0, info.duration());
        assertEquals("20261207", info.uploadDate(), "as yt-dlp writes it, as upstream answers it");
        assertEquals(2, info.formats().size());
        VideoInfo.FormatDetail audio = info.formats().get(0);
        assertEquals(new VideoInfo.FormatDetail("1", "m4a", "audio only", null, "none", "mp4a.40.2", 69.432, 34716L,
                "DASH audio"), audio, "filesize falls back on yt-dlp's estimate");
        assertEquals(119730L, info.formats().get(1).filesize());
        assertNull(info.playlistCount());
        assertNull(info.playlistId());
        assertEquals(List.of(), info.entries());
        assertEquals(List.of(), info.withoutFormats().formats());
        assertEquals("clip", info.withoutFormats().title());
    }

    @Test
    void thumbnailsAndSubtitlesKeepOnlyWebUrls() throws Exception {
        VideoInfo info = read(PAGE, "http://media.example/page.html");
        assertEquals(List.of(new VideoInfo.Thumbnail("http://media.example/poster.jpg", null, null, null),
                new VideoInfo.Thumbnail("https://media.example/big.jpg", 1280, 720, "1280x720")), info.thumbnails());
        assertEquals(List.of("en"), List.copyOf(info.subtitles().keySet()), "an inline track has no URL to give");
        assertEquals(List.of(new VideoInfo.Subtitle("http://media.example/clip.en.vtt", "vtt", "en")),
                info.subtitles().get("en"));
        assertEquals(12L, info.viewCount());
        assertEquals("html5", info.extractor());
    }

    @Test
    void aPlaylistListsItsEntriesWithAbsoluteUrlsAndNoFormats() throws Exception {
        VideoInfo info = read(FEED, "http://media.example/feed.xml");
        assertEquals(List.of(), info.formats());
        assertEquals(3, info.playlistCount(), "the entries that can be submitted");
        assertEquals("http://media.example/feed.xml", info.playlistId());
        assertEquals("Test Feed", info.playlistTitle());
        assertNull(info.duration());
        List<String> urls = new ArrayList<>();
        info.entries().forEach(entry -> urls.add(entry.url()));
        assertEquals(List.of("http://media.example/clip.mp4?n=1", "https://cdn.example/2.mp4",
                "http://media.example/clips/3.mp4"), urls, "resolved against the feed, yt-dlp's own fragment gone");
        assertEquals("http://media.example/clip.mp4?n=1", info.entries().get(0).id(), "no id: the URL stands in");
        assertEquals(new VideoInfo.PlaylistEntry("two", "Clip 2", "https://cdn.example/2.mp4", 4.5,
                "https://cdn.example/2.jpg", "someone"), info.entries().get(1));
        assertEquals("Untitled", info.entries().get(2).title());
    }

    @Test
    void theAnswerCarriesEveryFieldInCamelCaseWithNulls() throws Exception {
        JsonNode body = new Json().mapper().valueToTree(read(DASH, "http://media.example/dash/clip.mpd"));
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "title", "description", "duration", "uploader", "uploadDate", "viewCount",
                "webpageUrl", "extractor", "formats", "thumbnails", "subtitles", "playlistCount", "playlistId",
                "playlistTitle", "entries"), names);
        assertTrue(body.get("playlistCount").isNull());
        List<String> formatNames = new ArrayList<>();
        body.get("formats").get(0).fieldNames().forEachRemaining(formatNames::add);
        assertEquals(List.of("formatId", "ext", "resolution", "fps", "vcodec", "acodec", "tbr", "filesize",
                "formatNote"), formatNames);
    }

    @Test
    void theFormatsOfAUrlAreDescribedInTheUpstreamEnvelope() throws Exception {
        FormatInfo formats = FormatInfo.of("http://media.example/dash/clip.mpd",
                read(DASH, "http://media.example/dash/clip.mpd"));
        assertEquals(List.of("mp4"), formats.videoFormats());
        assertEquals(List.of("m4a"), formats.audioFormats());
        assertEquals(List.of("360p"), formats.resolutionOptions());
        assertEquals(List.of("best", "worst", "bestvideo+bestaudio", "bestvideo", "bestaudio", "1", "0"),
                formats.qualityOptions());
        assertEquals("640x360, mp4, avc1.42c01e, video only (DASH video)", formats.formatNotes().get("0"));
        assertEquals(formats.qualityOptions(), List.copyOf(formats.formatNotes().keySet()), "a note for each");

        JsonNode body = new Json().mapper().valueToTree(formats);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("url", "formats", "videoFormats", "audioFormats", "subtitleFormats", "qualityOptions",
                "resolutionOptions", "formatNotes"), names);
    }

    @Test
    void withoutAUrlTheFormatsAreTheGeneralOnes() {
        FormatInfo general = FormatInfo.general();
        assertNull(general.url());
        assertEquals(List.of(), general.formats());
        assertTrue(general.videoFormats().contains("mp4"));
        assertTrue(general.qualityOptions().contains("bestvideo+bestaudio"));
        assertTrue(general.formatNotes().keySet().containsAll(general.qualityOptions()));
    }
}
