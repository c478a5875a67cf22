package io.hermes.realtime.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips the calling test, saying why on the console (where a build's reader looks) as well as in the test
 * report: JUnit's own assumptions write only to the report, so a skipped test would pass unnoticed in the
 * output of {@code mvn verify}. Every skip in the tests goes through here. The console line names the test
 * class; a class whose tests all skip for one reason prints it once, and the runner's summary below it
 * says how many tests it skipped.
 */
public final class Skip {
    /** "Class: reason" lines already printed. */
    private static final Set<String> PRINTED = ConcurrentHashMap.newKeySet();

    private Skip() {
    }

    /**
     * Skips the calling test unless {@code runnable}; {@code why} says what is missing and how to get it, or
     * what else keeps the test from running here.
     */
    public static void unless(boolean runnable, String why) {
        if (!runnable) {
            because(why);
        }
    }

    /** Skips the calling test; {@code why} says why, and what would let it run. */
    public static void because(String why) {
        String line = testClass() + ": " + why;
        if (PRINTED.add(line)) {
            System.out.println("Skipped " + line);
        }
        Assumptions.abort(why);
    }

    /** The simple name of the nearest test class ({@code …Test}, {@code …IT}) on the calling stack. */
    private static String testClass() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .map(name -> name.substring(name.lastIndexOf('.') + 1))
                .map(name -> name.contains("$") ? name.substring(0, name.indexOf('$')) : name)
                .filter(name -> name.endsWith("Test") || name.endsWith("IT"))
                .findFirst()
                .orElse("a test"));
    }
}
