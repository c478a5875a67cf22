package io.hermes.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

/** Connector timeouts published over JMX, as Jetty and Tomcat do, are compared with the stream's silence. */
class IdleTimeoutCheckTest {

    /** The shape of Jetty's connector MBean attribute we read. */
    public interface ConnectorView {
        long getIdleTimeout();
    }

    @Test
    void aConnectorThatWouldCutAQuietStreamIsReported() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName short5s = new ObjectName("hermes-test:type=serverconnector,id=short");
        ObjectName long60s = new ObjectName("hermes-test:type=serverconnector,id=long");
        server.registerMBean(new StandardMBean((ConnectorView) () -> 5_000L, ConnectorView.class), short5s);
        server.registerMBean(new StandardMBean((ConnectorView) () -> 60_000L, ConnectorView.class), long60s);
        try {
            List<IdleTimeoutCheck.ConnectorTimeout> flagged = IdleTimeoutCheck.warnIfShorterThan(Duration.ofSeconds(15));
            List<IdleTimeoutCheck.ConnectorTimeout> ours = flagged.stream()
                    .filter(timeout -> timeout.source().startsWith("hermes-test")).toList();
            assertEquals(1, ours.size(), flagged.toString());
            assertTrue(ours.get(0).source().contains("id=short"));
            assertEquals(5_000L, ours.get(0).millis());
        } finally {
            server.unregisterMBean(short5s);
            server.unregisterMBean(long60s);
        }
    }
}
