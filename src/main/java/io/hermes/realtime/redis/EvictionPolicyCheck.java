package io.hermes.realtime.redis;

import java.lang.System.Logger.Level;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.SafeEncoder;

/** Warns at start-up when Redis may evict keys: downloads, API keys and statistics live only there. */
public final class EvictionPolicyCheck {
    private static final System.Logger LOG = System.getLogger(EvictionPolicyCheck.class.getName());

    private EvictionPolicyCheck() {
    }

    public static void warnIfEvicting(UnifiedJedis redis) {
        try {
            Object reply = redis.sendCommand(Protocol.Command.CONFIG, "GET", "maxmemory-policy");
            List<?> pair = reply instanceof List<?> list ? list : List.of();
            String policy = pair.size() == 2 ? SafeEncoder.encode((byte[]) pair.get(1)) : "unknown";
            if (!"noeviction".equals(policy)) {
                LOG.log(Level.WARNING, "Redis maxmemory-policy is ''{0}'': under memory pressure Redis may evict "
                        + "downloads, API keys and statistics. Set maxmemory-policy noeviction.", policy);
            }
        } catch (RuntimeException unavailable) {
            // Managed Redis often forbids CONFIG; say so once rather than fail.
            LOG.log(Level.INFO, "Could not read Redis maxmemory-policy ({0}); make sure it is noeviction",
                    unavailable.getMessage());
        }
    }
}
