package io.pgbluegreen.metrics;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus files we ship, through Prometheus' own promtool: the example configuration and the three rule files
 * it loads are accepted, and the unit tests (every alert firing and not firing) pass. (That every metric they name is
 * exported, and that every alert has a unit test, is checked in ShippedMonitoringFilesTest; that every rule evaluates
 * against a real daemon's series in MonitoringPrometheusIT.)
 */
class ShippedMonitoringFilesIT {
    private static final Path PROMETHEUS = PgDistribution.projectDir().resolve("prometheus");

    @Test
    void promtoolAcceptsTheConfigAndTheRulesAndTheirUnitTestsPass() {
        String config = Exec.run(List.of("promtool", "check", "config", "prometheus.example.yml"),
                Duration.ofSeconds(60), Map.of(), PROMETHEUS);
        assertTrue(config.contains("SUCCESS: prometheus.example.yml is valid"), config);
        String check = Exec.run(List.of("promtool", "check", "rules", "pg-bluegreen-rules.yml",
                "pg-bluegreen-cutover-windows.yml", "pg-bluegreen-alerts.yml"), Duration.ofSeconds(60), Map.of(), PROMETHEUS);
        assertEquals(3, check.split("SUCCESS", -1).length - 1, check);
        String test = Exec.run(List.of("promtool", "test", "rules", "pg-bluegreen-alerts.test.yml",
                "pg-bluegreen-alerts-hours.test.yml"), Duration.ofSeconds(120), Map.of(), PROMETHEUS);
        assertEquals(2, test.split("SUCCESS", -1).length - 1, test);
        assertTrue(!test.contains("FAILED"), test);
    }
}
