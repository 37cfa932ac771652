package io.pgbluegreen.config;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

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

    /**
     * The same URL naming another database: host list, port and parameters (ssl settings and the like) stay as they
     * are. pgjdbc URL-decodes the database part, so the name is encoded.
     */
    public static String withDatabase(String jdbcUrl, String database) {
        int hosts = jdbcUrl.indexOf("//") + 2;
        int query = jdbcUrl.indexOf('?', hosts);
        int end = query < 0 ? jdbcUrl.length() : query;
        int slash = jdbcUrl.indexOf('/', hosts);
        int pathStart = slash < 0 || slash > end ? end : slash;
        return jdbcUrl.substring(0, pathStart) + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                + jdbcUrl.substring(end);
    }

    /** Two host names name the same host: equal ignoring case, or both names of the loopback interface. */
    public static boolean sameHost(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        return x.equals(y) || LOOPBACK.contains(x) && LOOPBACK.contains(y);
    }

    private static final java.util.Set<String> LOOPBACK = java.util.Set.of("127.0.0.1", "localhost", "::1", "[::1]");
}
