package io.hermes.realtime.dev;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.System.Logger.Level;

/**
 * The dev run's last line of log: the address to open. {@code src/dev/web-override.xml} declares it after
 * the application's own listener, so it speaks only once the application has started; the packaged WAR
 * never contains it. It reads what the pom's dev profiles set as system properties, never the environment,
 * so a key of the user's own is never printed.
 */
public final class DevRunGreeting implements ServletContextListener {
    /** The admin key the pom's {@code dev-admin-key} profile sets while {@code HERMES_API_KEYS} is unset. */
    static final String DEV_KEY = "dev-admin-key";

    private static final System.Logger LOG = System.getLogger(DevRunGreeting.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        LOG.log(Level.INFO, greeting(System.getProperty("hermes.devRun.port", "8080"),
                System.getProperty("HERMES_API_KEYS"), System.getProperty("HERMES_ALLOW_PRIVATE_URLS")));
    }

    /** What it prints, from the system properties the pom's dev profiles set (null where one is not set). */
    static String greeting(String port, String keys, String allowPrivateUrls) {
        String page = "http://localhost:" + port + "/";
        StringBuilder line = new StringBuilder("Dev run: open ");
        if (DEV_KEY.equals(keys)) {
            line.append(page).append("#key=").append(DEV_KEY).append(" (the dev run's admin key, ").append(DEV_KEY)
                    .append("; the page keeps it until you press \"Forget key\")");
        } else {
            line.append(page).append(" and give the page a key from HERMES_API_KEYS");
        }
        if ("true".equals(allowPrivateUrls)) {
            line.append(". Downloads may fetch loopback and private addresses in this run"
                    + " (HERMES_ALLOW_PRIVATE_URLS=true; a deployment refuses them by default)");
        }
        return line.append('.').toString();
    }
}
