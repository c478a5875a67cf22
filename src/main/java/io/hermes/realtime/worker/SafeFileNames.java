package io.hermes.realtime.worker;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Turns whatever a server or URL suggests into a plain file name, and claims a name in the download directory
 * that no other download holds. The name comes from strangers, so it is treated as hostile: no directories,
 * no {@code ..}, no control or invisible characters, nothing Windows reserves, at most 150 bytes.
 */
final class SafeFileNames {
    /** What a download is called when neither the server nor the URL suggests a usable name. */
    static final String FALLBACK = "download";
    /** Longest name in UTF-8 bytes: well below the usual 255-byte limit, leaving room for " (12)". */
    static final int MAX_BYTES = 150;
    /** A longer "extension" is just part of the name (think {@code report.final-version-for-the-board}). */
    private static final int MAX_EXTENSION_BYTES = 20;
    private static final int MAX_NUMBERED = 10_000;
    private static final String RESERVED = "<>:\"/\\|?*";
    private static final Set<String> DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "LPT¹", "LPT²", "LPT³");

    private SafeFileNames() {
    }

    /**
     * The name for a downloaded file: the {@code Content-Disposition} file name if the server sent a usable
     * one, else the URL's last path segment (percent-decoded), else {@value #FALLBACK}.
     *
     * @param contentDisposition the header's value, or null
     * @param url                the URL the body came from (after redirects)
     */
    static String choose(String contentDisposition, URI url) {
        String fromHeader = ContentDisposition.fileName(contentDisposition).map(SafeFileNames::clean).orElse("");
        if (!fromHeader.isEmpty()) {
            return fromHeader;
        }
        String fromUrl = clean(lastSegment(url));
        return fromUrl.isEmpty() ? FALLBACK : fromUrl;
    }

    /** {@code name} made safe, or {@value #FALLBACK} if nothing usable is left. Safe names come back unchanged. */
    static String sanitize(String name) {
        String cleaned = clean(name);
        return cleaned.isEmpty() ? FALLBACK : cleaned;
    }

    /**
     * Creates a new empty file for {@code name} in {@code dir} and returns its path. If the name is taken it
     * tries {@code name (1).ext}, {@code name (2).ext} …; creation is atomic ({@code CREATE_NEW}), so two
     * downloads finishing together never get the same file and an existing file is never touched. The caller
     * then moves the finished body onto the reserved file.
     *
     * @param name a name, sanitized again here so a caller's mistake cannot escape {@code dir}
     * @throws IOException if the directory cannot be written, or every numbered name is taken
     */
    static Path reserve(Path dir, String name) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        String safe = sanitize(name);
        for (int n = 0; n < MAX_NUMBERED; n++) {
            Path target = base.resolve(n == 0 ? safe : numbered(safe, n)).normalize();
            // Belt and braces: sanitize already removed separators and "..", but a file outside dir is the one
            // outcome that must never happen.
            if (!target.startsWith(base) || target.equals(base) || !base.equals(target.getParent())) {
                throw new IOException("Refusing a file name outside the download directory: " + safe);
            }
            try {
                return Files.createFile(target);
            } catch (FileAlreadyExistsException taken) {
                // another download (or the user) has this name; try the next number
            }
        }
        throw new FileAlreadyExistsException(base.resolve(safe).toString(), null,
                "every name up to (" + (MAX_NUMBERED - 1) + ") is taken");
    }

    /** The cleaned name, or an empty string. */
    private static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        // NFC so a name typed on macOS (decomposed accents) and elsewhere compares and displays the same.
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        // Only the last path element counts: "../../etc/passwd" is "passwd", "a/b\c" is "c".
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            switch (Character.getType(cp)) {
                // Control characters break logs and headers (CR/LF); format characters such as U+202E
                // (right-to-left override) make "fdp.exe" display as "exe.pdf"; a lone surrogate is not text.
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE -> { }
                case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR ->
                        out.append(' ');
                default -> out.appendCodePoint(RESERVED.indexOf(cp) >= 0 ? '_' : cp);
            }
        });
        name = trimEnd(trimStart(out.toString()));
        name = avoidDeviceName(name);
        return trimEnd(truncate(name));
    }

    /** Leading dots would hide the file (and ".." is the parent); leading spaces are invisible. */
    private static String trimStart(String name) {
        int start = 0;
        while (start < name.length() && (name.charAt(start) == '.' || name.charAt(start) == ' ')) {
            start++;
        }
        return name.substring(start);
    }

    /** Windows drops trailing dots and spaces, so "a.exe." would silently become "a.exe" there. */
    private static String trimEnd(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
            end--;
        }
        return name.substring(0, end);
    }

    /** "COM1.txt" opens a serial port on Windows, whatever the extension; "COM1_.txt" is a file. */
    private static String avoidDeviceName(String name) {
        int dot = name.indexOf('.');
        String device = (dot < 0 ? name : name.substring(0, dot)).trim();
        if (!DEVICE_NAMES.contains(device.toUpperCase(Locale.ROOT))) {
            return name;
        }
        return device + "_" + (dot < 0 ? "" : name.substring(dot));
    }

    /** Cuts the name to {@link #MAX_BYTES} UTF-8 bytes at a character boundary, keeping the extension. */
    private static String truncate(String name) {
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        int dot = extensionStart(name);
        String extension = dot < 0 ? "" : name.substring(dot);
        String stem = dot < 0 ? name : name.substring(0, dot);
        int budget = MAX_BYTES - utf8Length(extension);
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int size = utf8Length(new String(Character.toChars(cp)));
            if (used + size > budget) {
                break;
            }
            kept.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return trimEnd(kept.toString()) + extension;
    }

    /** Index of the extension's dot, or -1 when the name has no short extension. */
    private static int extensionStart(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1 || utf8Length(name.substring(dot)) > MAX_EXTENSION_BYTES) {
            return -1;
        }
        return dot;
    }

    private static String numbered(String name, int n) {
        int dot = extensionStart(name);
        return dot < 0 ? name + " (" + n + ")" : name.substring(0, dot) + " (" + n + ")" + name.substring(dot);
    }

    private static String lastSegment(URI url) {
        String path = url == null ? null : url.getRawPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return "";
        }
        String segment = path.substring(path.lastIndexOf('/') + 1);
        int matrix = segment.indexOf(';'); // path parameters ("file.zip;jsessionid=…") are not part of the name
        if (matrix >= 0) {
            segment = segment.substring(0, matrix);
        }
        String decoded = ContentDisposition.percentDecode(segment, StandardCharsets.UTF_8);
        return decoded == null ? segment : decoded;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
