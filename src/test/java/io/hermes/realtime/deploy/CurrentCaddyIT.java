package io.hermes.realtime.deploy;

import java.nio.file.Path;

/** The Caddyfile in the current Caddy release (2.11 when written), from Debian unstable's package. */
class CurrentCaddyIT extends CaddyIT {
    @Override
    Path binary() {
        return Caddy.currentOrSkip();
    }
}
