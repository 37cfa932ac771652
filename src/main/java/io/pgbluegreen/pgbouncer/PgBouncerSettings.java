package io.pgbluegreen.pgbouncer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deployment's PgBouncer ({@code pg-bluegreen.deployments.<name>.pgbouncer.*}): its admin console, the pooled
 * database the applications use, the pgbouncer.ini whose [databases] line the switch rewrites to green, and the psql
 * binary used to reach the console.
 */
public record PgBouncerSettings(String adminUrl, String user, String passwordFile, String database, String configFile,
                                String psql) {
    public static final Set<String> KEYS = Set.of("admin-url", "user", "password-file", "database", "config-file", "psql");

    public static PgBouncerSettings of(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        return new PgBouncerSettings(map.get("admin-url"), map.get("user"), map.get("password-file"), map.get("database"),
                map.get("config-file"), map.getOrDefault("psql", "psql"));
    }

    /** One message per problem, each naming its key under {@code keyPrefix}. */
    public static List<String> problems(String keyPrefix, Map<String, String> map) {
        List<String> problems = new ArrayList<>();
        if (map == null || map.isEmpty()) {
            return problems;
        }
        map.keySet().stream().filter(k -> !KEYS.contains(k)).sorted().forEach(k ->
                problems.add(keyPrefix + k + ": unknown key (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")"));
        for (String required : List.of("admin-url", "user", "database", "config-file")) {
            if (map.get(required) == null || map.get(required).isBlank()) {
                problems.add(keyPrefix + required + ": missing (required when pgbouncer is configured)");
            }
        }
        String url = map.get("admin-url");
        if (url != null && !url.startsWith("jdbc:postgresql://")) {
            problems.add(keyPrefix + "admin-url: '" + url + "' is not a jdbc:postgresql:// URL of the admin console");
        }
        String file = map.get("config-file");
        if (file != null && !(java.nio.file.Files.isReadable(java.nio.file.Path.of(file))
                && java.nio.file.Files.isWritable(java.nio.file.Path.of(file)))) {
            problems.add(keyPrefix + "config-file: " + file + " is not readable and writable by the daemon");
        }
        return problems;
    }
}
