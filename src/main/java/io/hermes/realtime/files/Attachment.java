package io.hermes.realtime.files;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Content-Disposition} that saves a file under its own name (RFC 6266): {@code filename=} with
 * an ASCII stand-in for clients that read nothing else, and {@code filename*=UTF-8''…} with the exact name,
 * percent-encoded (RFC 8187). Nothing of the name reaches the header raw, so no name can end the header,
 * add one, or break out of the quotes.
 */
final class Attachment {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Attachment() {
    }

    /** The header's value for a file called {@code name}. */
    static String of(String name) {
        return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + encoded(name);
    }

    /**
     * The name with every character that is not printable ASCII, and the quote, backslash and percent sign
     * (which some clients decode), replaced by {@code _}; one {@code _} per character, not per byte.
     */
    static String asciiFallback(String name) {
        StringBuilder ascii = new StringBuilder(name.length());
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%'
                ? (char) c : '_'));
        return ascii.toString();
    }

    /** The name's UTF-8 bytes with all but RFC 8187's attr-chars percent-encoded. */
    static String encoded(String name) {
        StringBuilder encoded = new StringBuilder(name.length() * 3);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isAttrChar(c)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }

    private static boolean isAttrChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }
}
