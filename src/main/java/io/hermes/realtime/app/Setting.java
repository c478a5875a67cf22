package io.hermes.realtime.app;

import java.util.function.Function;

/**
 * One setting as {@link Settings} declares it: its variable, its default, what it accepts and what it
 * means. Its value, the error for a bad value and its row of the README's table all come from here.
 *
 * @param fallback the default, written as a user would write it (and parsed like what they write); empty
 *                 for an empty list
 * @param meaning  one line of Markdown for the README's table
 */
record Setting<T>(String name, String fallback, SettingType<T> type, String meaning) {

    /** The text given for this setting, trimmed; {@code null} when it is absent or blank (the default applies). */
    String given(Function<String, String> lookup) {
        String text = lookup.apply(name);
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** The given value, else the default; a value this setting does not accept stops here, by name. */
    T read(Function<String, String> lookup) {
        String given = given(lookup);
        try {
            return type.parser().apply(given != null ? given : fallback);
        } catch (IllegalArgumentException rejected) {
            throw new Settings.InvalidSettingException(name, type.quotable() ? given : null, type.accepted());
        }
    }

    /** This setting's row of the README's table. */
    String row() {
        String shownDefault = fallback.isEmpty() ? "empty" : "`" + fallback + "`";
        return "| `" + name + "` | " + shownDefault + " | " + type.accepted() + " | " + meaning + " |";
    }
}
