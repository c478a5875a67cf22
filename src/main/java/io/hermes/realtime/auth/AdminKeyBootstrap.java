package io.hermes.realtime.auth;

import java.lang.System.Logger.Level;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * First start without any key: creates one admin key and logs it once. Instances starting together race
 * for a Redis lock ({@code SET NX}), so exactly one of them creates and prints a key.
 */
final class AdminKeyBootstrap {
    private static final System.Logger LOG = System.getLogger(AdminKeyBootstrap.class.getName());
    static final String LOCK = "hermes:bootstrap:admin-key";

    private AdminKeyBootstrap() {
    }

    static void ensureAdminKey(UnifiedJedis redis, ApiKeyStore keys, List<String> configuredAdminKeys) {
        if (!configuredAdminKeys.isEmpty() || keys.count() > 0) {
            return;
        }
        if (!"OK".equals(redis.set(LOCK, "created", new SetParams().nx()))) {
            return; // another instance is creating it, or did
        }
        ApiKeyStore.Created created = keys.create("bootstrap admin key", List.of("admin"), "admin", null);
        // The one place a key is ever logged: it is shown once, so the operator can get in at all.
        LOG.log(Level.WARNING, "No API key existed, so an admin key was created. It is shown only this once; "
                + "store it now and create narrower keys with it: {0}", created.secret());
    }
}
