package io.hermes.realtime.worker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the file name out of a {@code Content-Disposition} header (RFC 6266): {@code filename*} in the
 * RFC 8187 form {@code UTF-8''na%C3%AFve.txt} wins over plain {@code filename}. The name is returned raw;
 * {@link SafeFileNames} makes it safe.
 */
final class ContentDisposition {
    private ContentDisposition() {
    }

    /** The name the header suggests, or empty when it names none we can decode. */
    static Optional<String> fileName(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Map<String, String> params = parameters(header);
        String extended = params.get("filename*");
        if (extended != null) {
            String decoded = decodeExtValue(extended);
            if (decoded != null && !decoded.isBlank()) {
                return Optional.of(decoded);
            }
            // RFC 6266 section 4.3: a recipient that cannot use filename* falls back to filename.
        }
        String plain = params.get("filename");
        return plain == null || plain.isBlank() ? Optional.empty() : Optional.of(repairUtf8(plain));
    }

    /**
     * The header's parameters by lower-case name; the first occurrence of a name wins. Lenient on purpose:
     * servers send unquoted values with spaces and forget closing quotes, and a readable name is still better
     * than {@code download}.
     */
    private static Map<String, String> parameters(String header) {
        Map<String, String> params = new HashMap<>();
        int i = header.indexOf(';'); // skip the disposition type (attachment, inline …)
        int length = header.length();
        while (i >= 0 && i < length) {
            i++; // past the ';'
            int equals = i;
            while (equals < length && header.charAt(equals) != '=' && header.charAt(equals) != ';') {
                equals++;
            }
            if (equals >= length || header.charAt(equals) == ';') {
                i = equals < length ? equals : -1; // a parameter without a value
                continue;
            }
            String name = header.substring(i, equals).trim().toLowerCase(Locale.ROOT);
            int v = equals + 1;
            while (v < length && (header.charAt(v) == ' ' || header.charAt(v) == '\t')) {
                v++;
            }
            StringBuilder value = new StringBuilder();
            if (v < length && header.charAt(v) == '"') {
                v++;
                while (v < length && header.charAt(v) != '"') {
                    char c = header.charAt(v);
                    if (c == '\\' && v + 1 < length) {
                        c = header.charAt(++v); // quoted-pair: the next character stands for itself
                    }
                    value.append(c);
                    v++;
                }
                i = header.indexOf(';', v);
            } else {
                int end = header.indexOf(';', v);
                value.append(header, v, end < 0 ? length : end);
                i = end;
            }
            params.putIfAbsent(name, name.endsWith("*") ? value.toString().trim() : value.toString());
        }
        return params;
    }

    /** {@code charset'language'percent-encoded}; only UTF-8 and ISO-8859-1 are required by RFC 8187. */
    private static String decodeExtValue(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            return null;
        }
        String charset = value.substring(0, first).trim().toUpperCase(Locale.ROOT);
        Charset decoding;
        if (charset.equals("UTF-8")) {
            decoding = StandardCharsets.UTF_8;
        } else if (charset.equals("ISO-8859-1")) {
            decoding = StandardCharsets.ISO_8859_1;
        } else {
            return null;
        }
        return percentDecode(value.substring(second + 1), decoding);
    }

    /**
     * Percent-decodes {@code text} (a {@code +} stays a plus, unlike form decoding), or returns null if an
     * escape is malformed or the bytes are not valid in {@code charset}.
     */
    static String percentDecode(String text, Charset charset) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        byte[] bytes = new byte[text.length() * 4];
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[count++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(charset);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(charset);
                    i++;
                }
                System.arraycopy(encoded, 0, bytes, count, encoded.length);
                count += encoded.length;
            }
        }
        return strictDecode(bytes, count, charset);
    }

    /**
     * Servers often put raw UTF-8 into {@code filename="…"}; the HTTP client reads header bytes as ISO-8859-1,
     * which turns {@code é} into {@code Ã©}. If the characters are exactly valid UTF-8 bytes, decode them so.
     */
    private static String repairUtf8(String value) {
        boolean nonAscii = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value;
            }
            nonAscii |= c > 0x7f;
        }
        if (!nonAscii) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        String repaired = strictDecode(bytes, bytes.length, StandardCharsets.UTF_8);
        return repaired == null ? value : repaired;
    }

    private static String strictDecode(byte[] bytes, int count, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, count))
                    .toString();
        } catch (CharacterCodingException invalid) {
            return null;
        }
    }
}
