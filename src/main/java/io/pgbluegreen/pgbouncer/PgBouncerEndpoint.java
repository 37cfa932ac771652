package io.pgbluegreen.pgbouncer;

import java.util.Locale;
import java.util.Set;

/** The server a pooled database sends its clients to: host (empty: PgBouncer's unix socket), port, database. */
public record PgBouncerEndpoint(String host, int port, String dbname) {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    /** The same server, names of the loopback interface counting as one. */
    public boolean sameServer(PgBouncerEndpoint other) {
        return port == other.port && dbname.equals(other.dbname) && sameHost(host, other.host);
    }

    private static boolean sameHost(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return x.equals(y) || (LOOPBACK.contains(x) && LOOPBACK.contains(y));
    }

    @Override
    public String toString() {
        return (host.isEmpty() ? "(unix socket)" : host) + ":" + port + "/" + dbname;
    }
}
