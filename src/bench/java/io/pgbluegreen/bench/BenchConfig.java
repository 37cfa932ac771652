package io.pgbluegreen.bench;

import io.pgbluegreen.fixture.PgServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daemon's configuration for one run: N targets alternating primary/standby (t000 on the primary, t001 on
 * the standby, ...), N/2 physical deployments pairing them, every password from one password file, and the
 * production defaults for everything else (1 s interval, JMX on). A target listed in {@code proxyPorts} is
 * reached through a counting proxy instead of directly.
 */
final class BenchConfig {
    private final Path file;
    private final List<String> targetNames;
    private final Map<Integer, Integer> proxyPorts;

    private BenchConfig(Path file, List<String> targetNames, Map<Integer, Integer> proxyPorts) {
        this.file = file;
        this.targetNames = targetNames;
        this.proxyPorts = proxyPorts;
    }

    static String targetName(int i) {
        return String.format("t%03d", i);
    }

    static BenchConfig write(Path dir, int targets, int httpPort, Duration interval, BenchServers servers,
                             Map<Integer, Integer> proxyPorts)
            throws IOException {
        Files.createDirectories(dir);
        Path passwordFile = dir.resolve("postgres.password");
        Files.writeString(passwordFile, PgServer.PASSWORD + "\n");
        StringBuilder yaml = new StringBuilder();
        yaml.append("micronaut:\n  server:\n    host: 127.0.0.1\n    port: ").append(httpPort).append('\n');
        yaml.append("pg-bluegreen:\n  sample-interval: ").append(interval.toMillis()).append("ms\n");
        yaml.append("  targets:\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            String name = targetName(i);
            names.add(name);
            Integer proxy = proxyPorts.get(i);
            int port = proxy != null ? proxy : servers.forTarget(i).port();
            yaml.append("    ").append(name).append(":\n")
                    .append("      url: jdbc:postgresql://127.0.0.1:").append(port).append("/postgres\n")
                    .append("      user: ").append(PgServer.SUPERUSER).append('\n')
                    .append("      password-file: ").append(passwordFile.toAbsolutePath()).append('\n');
        }
        if (targets >= 2) {
            yaml.append("  deployments:\n");
            for (int d = 0; d < targets / 2; d++) {
                yaml.append("    ").append(String.format("d%03d", d)).append(":\n")
                        .append("      blue: ").append(targetName(2 * d)).append('\n')
                        .append("      green: ").append(targetName(2 * d + 1)).append('\n')
                        .append("      mode: physical\n");
            }
        }
        Path file = dir.resolve("config-" + targets + ".yml");
        Files.writeString(file, yaml.toString());
        return new BenchConfig(file, names, proxyPorts);
    }

    Path file() {
        return file;
    }

    List<String> targetNames() {
        return targetNames;
    }

    List<String> proxiedTargetNames() {
        return proxyPorts.keySet().stream().sorted().map(BenchConfig::targetName).toList();
    }
}
