package io.pgbluegreen.metrics;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules we ship, through Prometheus' own promtool: it accepts the rules and their unit tests pass. (That
 * every metric they name is exported is checked in ShippedMonitoringFilesTest.)
 */
class ShippedMonitoringFilesIT {
    private static final Path ROOT = PgDistribution.projectDir();

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() {
        String check = Exec.run(List.of("promtool", "check", "rules", "prometheus/pg-bluegreen-alerts.yml"),
                Duration.ofSeconds(60), Map.of(), ROOT);
        assertTrue(check.contains("SUCCESS"), check);
        String test = Exec.run(List.of("promtool", "test", "rules", "pg-bluegreen-alerts.test.yml"),
                Duration.ofSeconds(60), Map.of(), ROOT.resolve("prometheus"));
        assertTrue(test.contains("SUCCESS"), test);
    }
}
