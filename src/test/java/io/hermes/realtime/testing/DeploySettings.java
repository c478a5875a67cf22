package io.hermes.realtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.IntrospectionUtils;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The container settings shipped in {@code deploy/} that decide what a client sees when a request fails
 * before the WAR runs, read from those very files and applied to the embedded containers, so that tests
 * check what the Docker image and the README's recipes install. Only the error settings are applied; the
 * files' other settings (timeouts, buffer pools, ports) are left to each test server.
 */
final class DeploySettings {
    private static final Path JETTY_INI = Path.of("deploy/jetty/hermes.ini");
    private static final Path JETTY_ERRORS_XML = Path.of("deploy/jetty/hermes-errors.xml");
    private static final Path TOMCAT_SERVER_XML = Path.of("deploy/tomcat/server.xml");
    /** How {@code hermes.ini} names the XML, relative to the Jetty base it is copied into. */
    private static final String JETTY_ERRORS_XML_IN_BASE = "etc/hermes-errors.xml";

    private DeploySettings() {
    }

    /**
     * {@code deploy/jetty}: the server's error handler of {@code hermes-errors.xml}, and {@code hermes.ini}'s
     * {@code jetty.httpConfig.sendServerVersion}. Fails if the ini no longer loads the XML, since a Jetty set
     * up from it would then run without it.
     */
    static void applyTo(Server server, HttpConfiguration http) throws Exception {
        Map<String, String> ini = jettyIni();
        if (!ini.containsKey(JETTY_ERRORS_XML_IN_BASE)) {
            throw new IllegalStateException(JETTY_INI + " does not load " + JETTY_ERRORS_XML_IN_BASE);
        }
        String sendServerVersion = ini.get("jetty.httpConfig.sendServerVersion");
        if (sendServerVersion != null) {
            http.setSendServerVersion(Boolean.parseBoolean(sendServerVersion));
        }
        new XmlConfiguration(ResourceFactory.root().newResource(JETTY_ERRORS_XML.toAbsolutePath())).configure(server);
    }

    /**
     * {@code hermes.ini} as Jetty's start.jar reads it: {@code name=value} properties, and lines naming an
     * XML file to apply (mapped to an empty value); comments and blank lines left out.
     */
    private static Map<String, String> jettyIni() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(JETTY_INI)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                entries.put(trimmed, "");
            } else {
                entries.put(trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim());
            }
        }
        return entries;
    }

    /**
     * {@code deploy/tomcat/server.xml}: its {@code <Host>}'s {@code errorReportValveClass}, and every error
     * report valve declared in that host with its attributes, set as Tomcat's own server.xml reader sets them.
     * Call before the host starts.
     */
    static void applyTo(StandardHost host) throws Exception {
        Element hostElement = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(TOMCAT_SERVER_XML.toFile()).getElementsByTagName("Host").item(0);
        String valveClass = hostElement.getAttribute("errorReportValveClass");
        if (!valveClass.isEmpty()) {
            host.setErrorReportValveClass(valveClass);
        }
        NodeList valves = hostElement.getElementsByTagName("Valve");
        for (int i = 0; i < valves.getLength(); i++) {
            Element declared = (Element) valves.item(i);
            String className = declared.getAttribute("className");
            if (!className.endsWith("ErrorReportValve")) {
                continue;
            }
            Valve valve = (Valve) Class.forName(className).getConstructor().newInstance();
            NamedNodeMap attributes = declared.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String name = attributes.item(a).getNodeName();
                String value = attributes.item(a).getNodeValue();
                if (!name.equals("className") && !IntrospectionUtils.setProperty(valve, name, value)) {
                    throw new IllegalStateException(TOMCAT_SERVER_XML + ": " + className + " has no property " + name);
                }
            }
            host.getPipeline().addValve(valve);
        }
    }
}
