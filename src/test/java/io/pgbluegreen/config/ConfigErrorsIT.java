package io.pgbluegreen.config;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real daemon started as an operator starts it (a separate JVM, extra config via MICRONAUT_CONFIG_FILES):
 * every problem of a bad configuration is reported on its own line naming its key, no stack trace, non-zero exit.
 */
class ConfigErrorsIT {
    @TempDir
    Path dir;

    @Test
    void everyProblemIsReportedByKeyAndTheDaemonExitsNonZero() throws IOException {
        Path config = dir.resolve("bad.yml");
        Files.writeString(config, """
                pg-bluegreen:
                  targets:
                    blue:
                      url: jdbc:postgresql://127.0.0.1:1/postgres
                      user: monitor
                      password-file: %s/does-not-exist
                    green:
                      user: monitor
                      pasword-file: /tmp/typo
                  deployments:
                    upgrade:
                      blue: blue
                      green: red
                      mode: blue-green
                      sequence-gap: lots
                      exclude-tables: [public.fine, items]
                """.formatted(dir));
        Exec.Result result = runDaemon(config);
        String out = result.output();
        assertEquals(2, result.exitCode(), out);
        assertTrue(out.contains("pg-bluegreen.targets.blue.password-file: cannot read " + dir + "/does-not-exist"), out);
        assertTrue(out.contains("pg-bluegreen.targets.green.url: missing"), out);
        assertTrue(out.contains("pg-bluegreen.targets.green.pasword-file: unknown key"), out);
        assertTrue(out.contains("pg-bluegreen.deployments.upgrade.green: unknown target 'red'"), out);
        assertTrue(out.contains("pg-bluegreen.deployments.upgrade.mode: unknown mode 'blue-green'"), out);
        assertTrue(out.contains("pg-bluegreen.deployments.upgrade.sequence-gap: 'lots' is not a whole number >= 0"), out);
        assertTrue(out.contains("pg-bluegreen.deployments.upgrade.exclude-tables: 'items' is not schema.table or database.schema.table"), out);
        assertFalse(out.contains("'public.fine'"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void logicalDeploymentWithoutSubscriptionAndSlotIsRejected() throws IOException {
        Path config = dir.resolve("bad.yml");
        Files.writeString(config, """
                pg-bluegreen:
                  sample-interval: 0s
                  targets:
                    a: {url: "jdbc:postgresql://127.0.0.1:1/app", user: u}
                    b: {url: "http://example.invalid", user: u}
                  deployments:
                    d: {blue: a, green: b, mode: logical}
                """);
        Exec.Result result = runDaemon(config);
        String out = result.output();
        assertEquals(2, result.exitCode(), out);
        assertTrue(out.contains("pg-bluegreen.sample-interval: must be a positive duration"), out);
        assertTrue(out.contains("pg-bluegreen.targets.b.url: 'http://example.invalid' is not a jdbc:postgresql:// URL"), out);
        assertTrue(out.contains("pg-bluegreen.deployments.d.subscription: missing"), out);
        assertTrue(out.contains("pg-bluegreen.deployments.d.slot: missing"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void anUnreachableTargetIsNotAConfigurationError() throws IOException {
        try (Daemon daemon = Daemon.config()
                .target("nowhere", "jdbc:postgresql://127.0.0.1:1/postgres", "monitor", "secret")
                .start()) {
            daemon.awaitMetric("pgbg_up", v -> v == 0, Duration.ofSeconds(20), "target", "nowhere");
            daemon.awaitMetric("pgbg_target_error", v -> v == 1, Duration.ofSeconds(20),
                    "target", "nowhere", "error", "connection_refused");
            assertEquals(Double.POSITIVE_INFINITY, daemon.metric("pgbg_sample_age_seconds", "target", "nowhere").orElseThrow());
            assertTrue(daemon.get("/targets/nowhere").body().contains("\"error\":\"connection_refused\""));
            assertEquals(404, daemon.get("/targets/elsewhere").statusCode());
        }
    }

    /** A journal line damaged before its last line stops the start: one line naming file and line, status 2. */
    @Test
    void aDamagedJournalStopsTheStartNamingTheLine() throws IOException {
        Path journal = dir.resolve("journal.jsonl");
        String entry = "{\"operationId\":\"op-1\",\"deployment\":\"upgrade\",\"event\":\"operation-started\",\"at\":\"2026-11-22T03:41:07Z\"}";
        Files.writeString(journal, entry + "\nnot an entry\n" + entry + "\n");
        Path config = dir.resolve("ok.yml");
        Files.writeString(config, """
                pg-bluegreen:
                  targets:
                    blue: {url: "jdbc:postgresql://127.0.0.1:1/postgres", user: monitor}
                  journal: {path: "%s"}
                """.formatted(journal));
        Exec.Result result = runDaemon(config);
        String out = result.output();
        assertEquals(2, result.exitCode(), out);
        assertTrue(out.contains("pg-bluegreen: cannot start: the journal " + journal + " is damaged at line 2 "), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("pg-bluegreen:")).count(), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    private static Exec.Result runDaemon(Path config) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Exec.runAllowingFailure(List.of(java, "-cp", System.getProperty("java.class.path"),
                        "io.pgbluegreen.Application"), Duration.ofSeconds(60),
                Map.of("MICRONAUT_CONFIG_FILES", config.toString(), "MICRONAUT_SERVER_PORT", "-1"), null);
    }
}
