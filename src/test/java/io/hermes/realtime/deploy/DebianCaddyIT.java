package io.hermes.realtime.deploy;

import java.nio.file.Path;

/** The Caddyfile in the Caddy that Debian 12 ships (2.6.2), the first {@code caddy} on PATH. */
class DebianCaddyIT extends CaddyIT {
    @Override
    Path binary() {
        return Caddy.debianOrSkip();
    }
}
