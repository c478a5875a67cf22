package io.hermes.realtime.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a class-path resource (so it can be read, reviewed and reused by workers in
 * other languages), run with EVALSHA and, when Redis does not have it cached yet, EVAL.
 */
public final class RedisScript {
    private final String source;
    private final String sha;

    private RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Loads {@code name} from the package of {@code owner}. */
    public static RedisScript load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException notCachedYet) {
            return redis.eval(source, keys, args); // EVAL also caches it for the next EVALSHA
        }
    }

    /** What {@link #runReplicated} returns: the script's result, and how many replicas had it in time. */
    public record Replicated(Object result, long replicas) {
    }

    /**
     * Runs the script, then {@code WAIT}s for {@code wait}'s replicas, on one connection: WAIT counts the
     * replicas that have the writes of the connection it is sent on, so it must follow the script on the
     * same one (a pool would hand it any). Both go in one pipeline, one round trip plus the wait.
     */
    public Replicated runReplicated(UnifiedJedis redis, List<String> keys, List<String> args, ReplicaWait wait) {
        String sampleKey = keys.isEmpty() ? "" : keys.get(0);
        try (PipelineBase pipeline = redis.pipelined()) {
            Response<Object> result = pipeline.evalsha(sha, keys, args);
            Response<Long> acknowledged = pipeline.waitReplicas(sampleKey, wait.replicas(), wait.timeoutMillis());
            pipeline.sync();
            try {
                return new Replicated(result.get(), acknowledged.get());
            } catch (JedisNoScriptException notCachedYet) {
                // Not run, so nothing was waited for: again with the source, which also caches it.
            }
        }
        try (PipelineBase pipeline = redis.pipelined()) {
            Response<Object> result = pipeline.eval(source, keys, args);
            Response<Long> acknowledged = pipeline.waitReplicas(sampleKey, wait.replicas(), wait.timeoutMillis());
            pipeline.sync();
            return new Replicated(result.get(), acknowledged.get());
        }
    }

    /**
     * Queues the script into a MULTI. Sent as EVAL, source and all: an EVALSHA that Redis has no script
     * for would fail inside EXEC alone, silently, while the rest of the transaction is applied.
     */
    public Response<Object> queue(AbstractTransaction transaction, List<String> keys, List<String> args) {
        return transaction.eval(source, keys, args);
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-1 is required by the JVM specification", missing);
        }
    }
}
