package io.hermes.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table is the one the declarations in {@link Settings} render, so it cannot fall
 * behind the code. After changing a declaration, rewrite it with
 * {@code mvn -q test -Dtest=SettingsTableTest -Dhermes.writeReadme=true} and commit README.md.
 */
class SettingsTableTest {
    private static final Path README = Path.of("README.md");
    private static final String BEGIN = "<!-- settings:begin -->\n";
    private static final String END = "<!-- settings:end -->";
    private static final String REWRITE = "mvn -q test -Dtest=SettingsTableTest -Dhermes.writeReadme=true";

    @Test
    void theReadmeShowsTheTableTheDeclarationsRender() throws IOException {
        String readme = Files.readString(README);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(begin >= 0 && end > begin && readme.indexOf(BEGIN, begin + 1) < 0 && readme.indexOf(END, end + 1) < 0,
                "README.md needs the settings table between one '" + BEGIN.strip() + "' and one '" + END + "' line");
        String shown = readme.substring(begin + BEGIN.length(), end);
        String rendered = Settings.markdownTable();
        if (Boolean.getBoolean("hermes.writeReadme") && !shown.equals(rendered)) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + rendered + readme.substring(end));
            shown = rendered;
        }
        assertEquals(rendered, shown, "README.md's settings table is not the one Settings declares; rewrite it with `"
                + REWRITE + "` and commit README.md");
    }

    @Test
    void everyRowIsOneTableRow() {
        for (Setting<?> setting : Settings.declared()) {
            assertFalse(setting.meaning().contains("|") || setting.meaning().contains("\n"),
                    setting.name() + "'s meaning would break the README's table: " + setting.meaning());
            assertFalse(setting.type().accepted().contains("|"), setting.name() + "'s accepted values would break the table");
            assertFalse(setting.fallback().contains("`"), setting.name() + "'s default would break its code span");
        }
    }
}
