package io.pgbluegreen.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One client connection relayed to the server by two pump threads, counting turns: a client-to-server write that
 * follows server-to-client data (or opens the connection) is one round trip. Turns before the server's first
 * ReadyForQuery are connection setup; the rest are the client's query round trips. The hook runs before the
 * bytes are forwarded, so the causal order (request, then reply, then next request) is what the counters see.
 */
final class ProxiedConnection implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;
    private final Socket client;
    private final Socket server;
    private final PgWireFramer framer = new PgWireFramer();
    private boolean serverSpokeLast = true;
    private long setupTurns;
    private long queryTurns;
    private volatile boolean closed;
    private volatile long lastActivityNanos = System.nanoTime();

    ProxiedConnection(Socket client, Socket server) {
        this.client = client;
        this.server = server;
    }

    void start(String name) {
        pump(name + "-c2s", client, server, true);
        pump(name + "-s2c", server, client, false);
    }

    synchronized TurnCountingProxy.ConnectionCounts counts() {
        return new TurnCountingProxy.ConnectionCounts(setupTurns, queryTurns, closed);
    }

    /** System.nanoTime() of the last byte relayed in either direction. */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    private synchronized void fromClient(byte[] data, int len) {
        lastActivityNanos = System.nanoTime();
        if (serverSpokeLast) {
            if (framer.ready()) {
                queryTurns++;
            } else {
                setupTurns++;
            }
            serverSpokeLast = false;
        }
        framer.client(data, 0, len);
    }

    private synchronized void fromServer(byte[] data, int len) {
        lastActivityNanos = System.nanoTime();
        serverSpokeLast = true;
        framer.server(data, 0, len);
    }

    private void pump(String name, Socket from, Socket to, boolean clientToServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (clientToServer) {
                        fromClient(buffer, n);
                    } else {
                        fromServer(buffer, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side went away: the connection ends
            } finally {
                close();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        quietClose(client);
        quietClose(server);
    }

    private static void quietClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
