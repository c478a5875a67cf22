package io.hermes.realtime.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through the system's chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs). Without them the calling test is skipped with
 * a message saying what is missing; nothing is downloaded.
 */
public final class Browser implements AutoCloseable {
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium");
    private static final String DRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Starts Chromium, or skips the test when it is not installed. {@code extraArguments} are added to its
     * command line (a test of HTTPS with a private CA passes {@code --ignore-certificate-errors}).
     */
    public static Browser startOrSkip(String... extraArguments) {
        Skip.unless(new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute(),
                "Browser tests need Chromium and chromedriver (apt-get install chromium chromium-driver, as .ci/run "
                        + "does); not found at " + CHROMIUM + " and " + DRIVER);
        try {
            Path profile = Files.createTempDirectory("hermes-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // Flags for a closed network and a root user in CI: no sandbox, no background traffic.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,1700", "--user-data-dir=" + profile);
            options.addArguments(extraArguments);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return new Browser(driver, profile);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. An element that went
     * stale (the page reloaded under it, as signing out and forgetting a key do) means "not yet": it is found
     * again on the next try.
     */
    public void await(String what, Duration timeout, Supplier<Boolean> condition) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(any -> condition.get());
    }

    /**
     * Opens {@code url} in {@code count} new tabs at once, as a person restoring a session of tabs would, so
     * they load side by side: from the tab the browser starts with, which is then closed. Returns the tabs'
     * window handles; the driver is left on the first.
     */
    public List<String> openTabs(String url, int count) {
        String blank = driver.getWindowHandle();
        ((JavascriptExecutor) driver).executeScript("for (let i = 0; i < arguments[1]; i++) {"
                + " window.open(arguments[0], '_blank', 'noopener'); }", url, count);
        await(count + " tabs open", Duration.ofSeconds(30), () -> driver.getWindowHandles().size() == count + 1);
        driver.close();
        List<String> tabs = new ArrayList<>(driver.getWindowHandles());
        tabs.remove(blank);
        focus(tabs.get(0));
        return tabs;
    }

    /** Switches the driver to a tab, by its window handle. */
    public void focus(String tab) {
        driver.switchTo().window(tab);
    }

    /** Saves what the page shows now as a PNG. */
    public void screenshot(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; the OS cleans it eventually
        }
    }
}
