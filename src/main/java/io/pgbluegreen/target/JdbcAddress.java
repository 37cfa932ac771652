package io.pgbluegreen.target;

import java.net.URI;

/** Host, port and database of a {@code jdbc:postgresql://host[:port]/database} URL (port 5432 when absent). */
public record JdbcAddress(String host, int port, String database) {

    public static JdbcAddress parse(String jdbcUrl, int defaultPort) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath();
        return new JdbcAddress(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(),
                path == null || path.length() <= 1 ? "postgres" : path.substring(1));
    }

    public static JdbcAddress parse(String jdbcUrl) {
        return parse(jdbcUrl, 5432);
    }
}
