package io.hermes.realtime.media;

import java.util.List;

/**
 * yt-dlp's own words for why a run failed, made fit for a client: its last {@code ERROR:} line from
 * {@link ChildProcess#errorTail()}, without the extractor prefix, on one line, at most 300 characters. Never a
 * Python traceback: yt-dlp prints those only with {@code --verbose}, which this server never passes.
 */
public final class YtDlpErrors {
    private static final String ERROR = "ERROR: ";
    private static final int MAX_CHARS = 300;
    private static final String REPORT_ADVICE = "; please report this issue";

    private YtDlpErrors() {
    }

    /** yt-dlp's last {@code ERROR:} line without its prefixes, trimmed to a readable length. */
    public static String lastError(List<String> errorTail) {
        String found = null;
        for (String line : errorTail) {
            if (line.startsWith(ERROR)) {
                found = line.substring(ERROR.length());
            }
        }
        if (found == null) {
            return errorTail.isEmpty() ? "yt-dlp failed without a message"
                    : "yt-dlp failed: " + trim(errorTail.get(errorTail.size() - 1));
        }
        // "[generic] clip: Unable to download webpage: HTTP Error 404: Not Found" → drop the "[generic] clip: "
        found = found.replaceFirst("^\\[[^\\]]{1,40}\\] [^:]{0,200}: ", "");
        // A client cannot act on yt-dlp's advice to its own users ("; please report this issue on …").
        int advice = found.indexOf(REPORT_ADVICE);
        String message = advice > 0 ? found.substring(0, advice) : found;
        // Advice for someone at yt-dlp's command line ("Use --list-formats for a list of available formats")
        // means nothing to a user of the web app: /info lists the formats.
        return trim(message.replaceAll("\\.? ?Use --[a-z-]+ [^.]*\\.?$", ""));
    }

    /** Whether {@code message} (from {@link #lastError}) says no extractor, not even the generic one, took the URL. */
    public static boolean unsupportedUrl(String message) {
        return message.contains("Unsupported URL");
    }

    /** {@code message} on one line, cut to {@value #MAX_CHARS} characters with an ellipsis. */
    public static String trim(String message) {
        String oneLine = message.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_CHARS ? oneLine : oneLine.substring(0, MAX_CHARS - 1) + "…";
    }
}
