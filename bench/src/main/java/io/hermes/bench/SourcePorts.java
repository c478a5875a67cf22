package io.hermes.bench;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Source ports for the connections from one local address, named by the generator instead of the kernel.
 *
 * <p>A bind to port 0 makes the kernel search its bind table for a free port, and on Linux 6 that search
 * grows with the number of ports already held on the address: profiled at 19,000 streams, 58 % of the
 * generator's CPU was that search, its connects took up to 45 ms (p99) and it took that CPU from the
 * server under test. A bind to a named port is one lookup. Ports are handed out in turn from a random
 * start, so consecutive runs do not begin on ports the previous run may still hold; a port some other
 * socket holds is skipped.
 */
final class SourcePorts {
    static final int FIRST = 20_000;
    static final int LAST = 60_999;
    private static final int SPAN = LAST - FIRST + 1;

    private final InetAddress address;
    private final AtomicInteger turn = new AtomicInteger(ThreadLocalRandom.current().nextInt(SPAN));

    SourcePorts(InetAddress address) {
        this.address = address;
    }

    /** Binds {@code channel} to this address and the next free port of the range. */
    void bind(SocketChannel channel) throws IOException {
        for (int tries = 0; tries < SPAN; tries++) {
            int port = FIRST + Math.floorMod(turn.getAndIncrement(), SPAN);
            try {
                channel.bind(new InetSocketAddress(address, port));
                return;
            } catch (BindException held) {
                // another socket has this port on this address: take the next one
            }
        }
        throw new BindException("no free source port on " + address.getHostAddress() + " in " + FIRST + "-" + LAST);
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
