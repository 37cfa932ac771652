package io.pgbluegreen.attack.surface;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack on the shipped alerts: "they fire when they should and not otherwise", around operations.
 */
class AlertsAroundOperationsIT {
    private static final Path PROMETHEUS = PgDistribution.projectDir().resolve("prometheus");

    @TempDir
    Path dir;

    /**
     * FAILS: a physical cutover that SUCCEEDED inside its planned window pages critical 2 minutes later.
     * After promotion green is no longer a standby, so the gate check green_streams_from_blue fails
     * (PhysicalChecks: "green is not a standby (already promoted?)"), pgbg_gate_ready drops to 0, and
     * PgBlueGreenGateNotReadyInCutoverWindow ("pgbg_gate_ready == 0 and on (deployment) pgbg:cutover_window_open == 1",
     * for: 2m) fires for the rest of the window. Likewise the deployment lag becomes unknown for good
     * (StandbyDeploymentLag: green.recovery() == null) and PgBlueGreenDeploymentLagUnknown warns 5 minutes after every
     * successful physical cutover, indefinitely. The promtool case (src/test/resources/attack-surface/
     * after-cutover.test.yml) expects neither; it also shows PgBlueGreenSlotInactive, whose runbook does name
     * "a green already cut over".
     */
    @Test
    void aSuccessfulCutoverInItsWindowDoesNotPage() throws IOException {
        for (String rules : List.of("pg-bluegreen-rules.yml", "pg-bluegreen-alerts.yml")) {
            Files.copy(PROMETHEUS.resolve(rules), dir.resolve(rules));
        }
        try (InputStream in = getClass().getResourceAsStream("/attack-surface/after-cutover.test.yml")) {
            Files.write(dir.resolve("after-cutover.test.yml"), in.readAllBytes());
        }
        Exec.Result result = Exec.runAllowingFailure(List.of("promtool", "test", "rules", "after-cutover.test.yml"),
                Duration.ofSeconds(60), Map.of(), dir);
        String out = result.output();
        assertFalse(out.contains("alertname: PgBlueGreenGateNotReadyInCutoverWindow"),
                "critical page after a successful cutover: " + out);
        assertFalse(out.contains("alertname: PgBlueGreenDeploymentLagUnknown"),
                "lag-unknown warning after a successful cutover: " + out);
    }

    /**
     * FAILS: no alert covers an operation that keeps running. A cutover that hangs between fence_blue and
     * switch_connections (blue read-only, clients refused) or a rollback that never ends raises nothing: the
     * operation alerts only look at ended operations (pgbg_operations_ended_total, pgbg_last_operation_state of
     * failed/interrupted/aborted), and no rule reads pgbg_operation_running or pgbg_last_operation_state{state="running"},
     * which the daemon exports exactly for this.
     */
    @Test
    void someAlertWatchesAnOperationThatRunsTooLong() throws IOException {
        String alerts = Files.readString(PROMETHEUS.resolve("pg-bluegreen-alerts.yml"));
        Matcher expr = Pattern.compile("expr: (\\|\\n(?:\\s{10,}.*\\n)+|.*)").matcher(alerts);
        boolean watched = false;
        while (expr.find()) {
            String e = expr.group(1);
            watched |= e.contains("pgbg_operation_running") || (e.contains("pgbg_last_operation_state") && e.contains("running"));
        }
        assertTrue(watched, "no alert expression reads pgbg_operation_running or a running last operation");
    }
}
