package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.config.JdbcAddress;
import java.util.List;

/** The server a pooled database sends its clients to: host (empty: PgBouncer's unix socket), port, database. */
public record PgBouncerEndpoint(String host, int port, String dbname) {

    /** From SHOW DATABASES rows, unaligned: name|host|port|database|... (empty database: same as name); null if absent. */
    public static PgBouncerEndpoint fromShowDatabases(List<String> rows, String database) {
        for (String row : rows) {
            String[] columns = row.split("\\|", -1);
            if (columns.length >= 4 && columns[0].equals(database)) {
                return new PgBouncerEndpoint(columns[1], Integer.parseInt(columns[2]),
                        columns[3].isEmpty() ? database : columns[3]);
            }
        }
        return null;
    }

    /** The same server, names of the loopback interface counting as one. */
    public boolean sameServer(PgBouncerEndpoint other) {
        return port == other.port && dbname.equals(other.dbname) && JdbcAddress.sameHost(host, other.host);
    }


    @Override
    public String toString() {
        return (host.isEmpty() ? "(unix socket)" : host) + ":" + port + "/" + dbname;
    }
}
