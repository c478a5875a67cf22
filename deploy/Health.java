import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container's health probe: exits 0 when the URL (by default Hermes' own /api/v1/health on
 * 127.0.0.1:8080) answers 200 within a few seconds, 1 otherwise. The Jetty image has neither curl nor
 * wget to rely on, but it has java; the Dockerfile compiles this once in its build stage, so the probe
 * runs on a JRE as well as a JDK and never compiles anything at run time.
 */
public final class Health {
    private Health() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/api/v1/health";
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(3000);
            int status = connection.getResponseCode();
            connection.disconnect();
            if (status != 200) {
                System.err.println("unhealthy: " + url + " answered " + status);
                System.exit(1);
            }
        } catch (Exception failed) {
            System.err.println("unhealthy: " + url + ": " + failed);
            System.exit(1);
        }
    }
}
