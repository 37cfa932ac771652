package io.pgbluegreen.config;

import io.pgbluegreen.gate.GateSettingsRule;
import io.pgbluegreen.pgbouncer.PgBouncerSettingsRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Configuration problems, one message each starting with its key, from hand-made bound records (no daemon). */
class ConfigValidatorTest {
    private static final SamplingConfig SAMPLING = new SamplingConfig(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2));
    private static final List<DeploymentSettingsRule> RULES = List.of(new GateSettingsRule(), new PgBouncerSettingsRule(),
            new io.pgbluegreen.gate.ExcludeTablesRule());
    private static final TargetConfig BLUE = target("blue", "jdbc:postgresql://127.0.0.1:5432/app");
    private static final TargetConfig GREEN = target("green", "jdbc:postgresql://127.0.0.1:5433/app");

    @Test
    void aCompletePhysicalDeploymentHasNoProblem() {
        assertEquals(List.of(), validate(List.of(BLUE, GREEN), deployment("physical", "blue", "green")));
    }

    @Test
    void targetsAreCheckedOneProblemPerKey() {
        TargetConfig noUrl = new TargetConfig("a", null, "monitor", null, null, null, null, null, null);
        TargetConfig http = new TargetConfig("b", "http://example.invalid", null, null, null, "sometimes", null, null, null);
        assertEquals(List.of(
                "pg-bluegreen.targets.a.url: missing (e.g. jdbc:postgresql://127.0.0.1:5432/postgres)",
                "pg-bluegreen.targets.b.url: 'http://example.invalid' is not a jdbc:postgresql:// URL",
                "pg-bluegreen.targets.b.user: missing",
                "pg-bluegreen.targets.b.ssl-mode: 'sometimes' is not one of allow, disable, prefer, require, verify-ca, verify-full"),
                validate(List.of(noUrl, http)));
    }

    @Test
    void aMistypedKeyIsNamedWithTheKnownOnes() {
        var raw = new ConfigValidator.RawKeys(Map.of("blue", List.of("url", "user", "pasword-file")), Map.of(), Map.of());
        List<String> problems = ConfigValidator.validate(SAMPLING, List.of(BLUE), List.of(), List.of(), raw, RULES);
        assertEquals(List.of("pg-bluegreen.targets.blue.pasword-file: unknown key (known: password-env, password-file,"
                + " ssl-cert, ssl-key, ssl-mode, ssl-root-cert, url, user)"), problems);
    }

    @Test
    void nothingToWatchAndANonPositiveIntervalAreProblems() {
        SamplingConfig zero = new SamplingConfig(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        List<String> problems = ConfigValidator.validate(zero, List.of(), List.of(), List.of(), noRawKeys(), RULES);
        assertEquals(List.of("pg-bluegreen.sample-interval: must be a positive duration such as 1s or 500ms",
                "pg-bluegreen.targets: no target configured (nothing to watch)"), problems);
    }

    @Test
    void deploymentReferencesAndModes() {
        assertEquals(List.of("pg-bluegreen.deployments.upgrade.green: unknown target 'red' (configured: blue, green)"),
                validate(List.of(BLUE, GREEN), deployment("physical", "blue", "red")));
        assertEquals(List.of("pg-bluegreen.deployments.upgrade.green: must name a different target than blue ('blue')"),
                validate(List.of(BLUE, GREEN), deployment("physical", "blue", "blue")));
        assertEquals(List.of("pg-bluegreen.deployments.upgrade.mode: unknown mode 'blue-green' (physical, logical or patroni)"),
                validate(List.of(BLUE, GREEN), deployment("blue-green", "blue", "green")));
        assertEquals(List.of(
                "pg-bluegreen.deployments.upgrade.subscription: missing (the subscription on green, required for mode logical)",
                "pg-bluegreen.deployments.upgrade.slot: missing (the replication slot on blue, required for mode logical)"),
                validate(List.of(BLUE, GREEN), deployment("logical", "blue", "green")));
        assertEquals(List.of("pg-bluegreen.deployments.upgrade.patroni-cluster: missing (required for mode patroni)"),
                validate(List.of(BLUE, GREEN), deployment("patroni", "blue", "green")));
    }

    @Test
    void theFeaturesRulesCheckTheirOwnSettings() {
        DeploymentConfig d = new DeploymentConfig("upgrade", "blue", "green", "physical", null, null, null,
                Map.of("max-replay-lag", "soon"), null, Map.of("admin-url", "jdbc:postgresql://127.0.0.1:6432/pgbouncer"),
                null, null, "lots", List.of("public.fine", "items"));
        List<String> problems = List.of(
                "pg-bluegreen.deployments.upgrade.gate.max-replay-lag: 'soon' is not a duration such as 10s, 500ms or 2m",
                "pg-bluegreen.deployments.upgrade.pgbouncer.user: missing (required when pgbouncer is configured)",
                "pg-bluegreen.deployments.upgrade.pgbouncer.database: missing (required when pgbouncer is configured)",
                "pg-bluegreen.deployments.upgrade.pgbouncer.config-file: missing (required when pgbouncer is configured)",
                "pg-bluegreen.deployments.upgrade.exclude-tables: 'items' is not schema.table or database.schema.table",
                "pg-bluegreen.deployments.upgrade.sequence-gap: 'lots' is not a whole number >= 0");
        assertEquals(problems, validate(List.of(BLUE, GREEN), d));
        // config knows no feature: without the rules only its own checks remain
        assertEquals(List.of(problems.get(5)), ConfigValidator.validate(SAMPLING, List.of(BLUE, GREEN), List.of(d),
                List.of(), noRawKeys(), List.of()));
    }

    @Test
    void patroniClustersNeedMembersAsHttpUrlsAndAPasswordWithAUser() {
        var cluster = new PatroniClusterConfig("main", List.of("http://127.0.0.1:8008", "ftp://x", "http://"), "admin", null, null, null, null, null);
        List<String> problems = ConfigValidator.validate(SAMPLING, List.of(), List.of(), List.of(cluster), noRawKeys(), RULES);
        assertEquals(List.of("pg-bluegreen.patroni.main.members: 'ftp://x' is not an http(s)://host:port URL",
                "pg-bluegreen.patroni.main.members: 'http://' is not a URL",
                "pg-bluegreen.patroni.main.password-file: missing (username is set)"), problems);
    }

    @Test
    void hostAgentsNeedAUrlHttpsWithACaFileAndPlainHttpOnlyOnLoopback() throws Exception {
        java.nio.file.Path notPem = java.nio.file.Files.createTempFile("agent-ca", ".pem");
        try {
            java.nio.file.Files.writeString(notPem, "not a certificate\n");
            var agents = new java.util.LinkedHashMap<String, String>();
            agents.put("pg1", "https://10.0.0.1:8443");
            agents.put("pg2", "http://10.0.0.2:8080");
            agents.put("pg3", "http://127.0.0.1:8080");
            agents.put("pg4", "ftp://x");
            var cluster = new PatroniClusterConfig("main", List.of("http://127.0.0.1:8008"), null, null, null, null, agents, null);
            assertEquals(List.of("pg-bluegreen.patroni.main.agents.pg1: https needs pg-bluegreen.patroni.main.agent-ca-file"
                            + " (the PEM CA that signed the agents' certificates)",
                    "pg-bluegreen.patroni.main.agents.pg2: plain http only to a loopback address (127.0.0.0/8 or [::1]);"
                            + " use https for '10.0.0.2'",
                    "pg-bluegreen.patroni.main.agents.pg4: 'ftp://x' is not an https://host:port URL"),
                    ConfigValidator.validate(SAMPLING, List.of(), List.of(), List.of(cluster), noRawKeys(), RULES));
            var badCa = new PatroniClusterConfig("main", List.of("http://127.0.0.1:8008"), null, null, null,
                    notPem.toString(), java.util.Map.of("pg1", "https://10.0.0.1:8443"), null);
            List<String> problems = ConfigValidator.validate(SAMPLING, List.of(), List.of(), List.of(badCa), noRawKeys(), RULES);
            assertEquals(1, problems.size(), problems.toString());
            org.junit.jupiter.api.Assertions.assertTrue(problems.get(0).startsWith(
                    "pg-bluegreen.patroni.main.agent-ca-file: cannot read " + notPem + ": "), problems.get(0));
            var missingCa = new PatroniClusterConfig("main", List.of("http://127.0.0.1:8008"), null, null, null,
                    "/nonexistent/ca.pem", java.util.Map.of("pg1", "https://10.0.0.1:8443"), "/nonexistent/agent.token");
            assertEquals(List.of("pg-bluegreen.patroni.main.agent-ca-file: cannot read /nonexistent/ca.pem: no such file",
                            "pg-bluegreen.patroni.main.agent-token-file: cannot read /nonexistent/agent.token (NoSuchFileException)"),
                    ConfigValidator.validate(SAMPLING, List.of(), List.of(), List.of(missingCa), noRawKeys(), RULES));
        } finally {
            java.nio.file.Files.deleteIfExists(notPem);
        }
    }

    private static List<String> validate(List<TargetConfig> targets, DeploymentConfig... deployments) {
        return ConfigValidator.validate(SAMPLING, targets, List.of(deployments), List.of(), noRawKeys(), RULES);
    }

    private static TargetConfig target(String name, String url) {
        return new TargetConfig(name, url, "monitor", null, null, null, null, null, null);
    }

    private static DeploymentConfig deployment(String mode, String blue, String green) {
        return new DeploymentConfig("upgrade", blue, green, mode, null, null, null, null, null, null, null, null, null, null);
    }

    private static ConfigValidator.RawKeys noRawKeys() {
        return new ConfigValidator.RawKeys(Map.of(), Map.of(), Map.of());
    }
}
