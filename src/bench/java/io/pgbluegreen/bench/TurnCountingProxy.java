package io.pgbluegreen.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of one PostgreSQL server, for one configured target, that counts round trips
 * (see {@link ProxiedConnection}). Loopback only: it listens on 127.0.0.1 and connects to 127.0.0.1.
 */
final class TurnCountingProxy implements AutoCloseable {
    /** One relayed connection's counters at one moment. */
    record ConnectionCounts(long setupTurns, long queryTurns, boolean closed) {
    }

    private static final int MAX_CONNECTIONS = 1000;
    private final String name;
    private final int backendPort;
    private final ServerSocket listener;
    private final List<ProxiedConnection> connections = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    TurnCountingProxy(String name, int backendPort) throws IOException {
        this.name = name;
        this.backendPort = backendPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Counters of every connection relayed so far, by connection. */
    Map<ProxiedConnection, ConnectionCounts> counts() {
        Map<ProxiedConnection, ConnectionCounts> counts = new IdentityHashMap<>();
        for (ProxiedConnection c : connections) {
            counts.put(c, c.counts());
        }
        return counts;
    }

    /** System.nanoTime() of the last byte relayed on any connection (Long.MIN_VALUE when none yet). */
    long lastActivityNanos() {
        long last = Long.MIN_VALUE;
        for (ProxiedConnection c : connections) {
            last = Math.max(last, c.lastActivityNanos());
        }
        return last;
    }

    private void acceptLoop() {
        // bounded: a sampler reconnects at most once per tick, so this many means something is badly wrong
        while (running && connections.size() < MAX_CONNECTIONS) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort), 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                ProxiedConnection connection = new ProxiedConnection(client, server);
                connections.add(connection);
                connection.start("proxy-" + name + "-" + connections.size());
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        connections.forEach(ProxiedConnection::close);
    }
}
