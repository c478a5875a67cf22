package io.hermes.realtime.app;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Warns at start-up when a connector would close an idle stream before our next write. The Servlet API
 * does not expose connector timeouts, so this reads what containers publish over JMX (the platform MBean
 * server, no container classes): Tomcat's {@code Catalina:type=Connector} {@code connectionTimeout} /
 * {@code keepAliveTimeout}, and Jetty's {@code serverconnector} {@code idleTimeout} when Jetty's JMX module
 * is on. Nothing found, nothing said.
 */
final class IdleTimeoutCheck {
    private static final System.Logger LOG = System.getLogger(IdleTimeoutCheck.class.getName());

    private IdleTimeoutCheck() {
    }

    /** A connector timeout we could read: where it came from and its value. */
    record ConnectorTimeout(String source, long millis) {
    }

    /** Logs a warning for every readable connector timeout not longer than {@code longestSilence}. */
    static List<ConnectorTimeout> warnIfShorterThan(Duration longestSilence) {
        List<ConnectorTimeout> tooShort = new ArrayList<>();
        for (ConnectorTimeout timeout : readable()) {
            if (timeout.millis() > 0 && timeout.millis() <= longestSilence.toMillis()) {
                tooShort.add(timeout);
                LOG.log(Level.WARNING, "{0} is {1} ms, but an idle event stream writes only every {2} ms (heartbeat or "
                        + "comment ping): the connector may cut streams. Raise it above {2} ms or lower "
                        + "HERMES_SSE_HEARTBEAT_INTERVAL.", timeout.source(), timeout.millis(), longestSilence.toMillis());
            }
        }
        return tooShort;
    }

    private static List<ConnectorTimeout> readable() {
        List<ConnectorTimeout> found = new ArrayList<>();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            read(server, "Catalina:type=Connector,*", "connectionTimeout", found);
            read(server, "Catalina:type=Connector,*", "keepAliveTimeout", found);
            read(server, "*:type=serverconnector,*", "idleTimeout", found);
        } catch (RuntimeException | Error unavailable) {
            // JMX is optional; without it there is simply nothing to check
        }
        return found;
    }

    private static void read(MBeanServer server, String pattern, String attribute, List<ConnectorTimeout> found) {
        try {
            for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
                Object value = attribute(server, name, attribute);
                if (value instanceof Number number) {
                    found.add(new ConnectorTimeout(name + " " + attribute, number.longValue()));
                }
            }
        } catch (Exception unreadable) {
            // a malformed pattern cannot happen; anything else means nothing to read
        }
    }

    /** Containers name attributes in camelCase, standard MBeans capitalise them: try both. */
    private static Object attribute(MBeanServer server, ObjectName name, String attribute) {
        for (String candidate : List.of(attribute, Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1))) {
            try {
                return server.getAttribute(name, candidate);
            } catch (Exception absent) {
                // try the other spelling
            }
        }
        return null;
    }
}
