package io.hermes.realtime.egress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where downloads may go: the {@link AddressPolicy} built from the settings, and the {@link EgressProxy} that
 * enforces it for child processes. Started before the worker and closed after it.
 */
public final class EgressModule implements AutoCloseable {

    /**
     * What the settings tell egress.
     *
     * @param allowPrivate  {@code HERMES_ALLOW_PRIVATE_URLS}
     * @param allowedAnyway {@code HERMES_PRIVATE_URL_ALLOW}: private addresses that may be reached all the same
     */
    public record Config(boolean allowPrivate, Predicate<InetAddress> allowedAnyway, EgressProxy.Limits limits) {
    }

    private final AddressPolicy policy;
    private final EgressProxy proxy;

    private EgressModule(AddressPolicy policy, EgressProxy proxy) {
        this.policy = policy;
        this.proxy = proxy;
    }

    /**
     * Builds the policy and starts the proxy.
     *
     * @param threads a named thread factory for a prefix; the proxy's threads are {@code hermes-egress-N}
     * @throws UncheckedIOException when the proxy finds no port on 127.0.0.1
     */
    public static EgressModule start(Config config, Function<String, ThreadFactory> threads) {
        AddressPolicy policy = new AddressPolicy(config.allowPrivate(), config.allowedAnyway(),
                AddressPolicy.Resolver.system());
        try {
            return new EgressModule(policy, EgressProxy.start(policy, config.limits(), threads.apply("hermes-egress")));
        } catch (IOException failed) {
            throw new UncheckedIOException("Could not start the egress proxy on 127.0.0.1: " + failed.getMessage(),
                    failed);
        }
    }

    /** Which URLs and hosts may be fetched: for submissions, the worker's own transfers and the proxy. */
    public AddressPolicy policy() {
        return policy;
    }

    /** The proxy a child process fetches through; each job opens its own {@link EgressProxy.Pass}. */
    public EgressProxy proxy() {
        return proxy;
    }

    /** Closes the proxy: its passes, connections and threads. */
    @Override
    public void close() {
        proxy.close();
    }
}
