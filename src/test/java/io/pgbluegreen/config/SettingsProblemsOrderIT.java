package io.pgbluegreen.config;

import io.pgbluegreen.fixture.Exec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the reshape (issue 8): a deployment's settings problems are reported in the order fd6d16b reported them
 * (ConfigValidator.validateDeployment: gate thresholds, then pgbouncer, then exclude-tables). The reshape moved them
 * into DeploymentSettingsRule beans: GateSettingsRule reports gate and exclude-tables together, PgBouncerSettingsRule
 * pgbouncer, in whatever order Micronaut injects the beans.
 */
class SettingsProblemsOrderIT {
    @TempDir
    Path dir;

    @Test
    void gateThenPgBouncerThenExcludeTables() throws IOException {
        Path config = dir.resolve("bad.yml");
        Files.writeString(config, """
                pg-bluegreen:
                  targets:
                    blue: {url: "jdbc:postgresql://127.0.0.1:1/postgres", user: monitor}
                    green: {url: "jdbc:postgresql://127.0.0.1:2/postgres", user: monitor}
                  deployments:
                    upgrade:
                      blue: blue
                      green: green
                      mode: physical
                      gate: {max-replay-lag: soon}
                      pgbouncer: {admin-url: "jdbc:postgresql://127.0.0.1:3/pgbouncer"}
                      exclude-tables: [items]
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Exec.Result result = Exec.runAllowingFailure(List.of(java, "-cp", System.getProperty("java.class.path"),
                        "io.pgbluegreen.Application"), Duration.ofSeconds(60),
                Map.of("MICRONAUT_CONFIG_FILES", config.toString(), "MICRONAUT_SERVER_PORT", "-1"), null);
        String out = result.output();
        assertEquals(2, result.exitCode(), out);
        int gate = out.indexOf("pg-bluegreen.deployments.upgrade.gate.max-replay-lag:");
        int pgbouncer = out.indexOf("pg-bluegreen.deployments.upgrade.pgbouncer.user: missing");
        int exclude = out.indexOf("pg-bluegreen.deployments.upgrade.exclude-tables:");
        assertTrue(gate >= 0 && pgbouncer >= 0 && exclude >= 0, out);
        assertTrue(gate < pgbouncer && pgbouncer < exclude, "gate, pgbouncer, exclude-tables as before: " + out);
    }
}
