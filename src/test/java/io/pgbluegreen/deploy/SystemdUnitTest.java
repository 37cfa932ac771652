package io.pgbluegreen.deploy;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped systemd unit: systemd's own parser accepts every line (it only warns about a typo and carries on,
 * so the test fails on any warning), and it stops the daemon the way a running cutover needs.
 */
class SystemdUnitTest {
    private static final Path UNIT = PgDistribution.projectDir().resolve("systemd/pg-bluegreen.service");

    @TempDir
    Path dir;

    @Test
    void systemdParsesEveryLineWithoutAWarning() throws Exception {
        Path copy = Files.copy(UNIT, dir.resolve("pg-bluegreen.service"));
        Exec.Result result = Exec.runAllowingFailure(List.of("systemd-analyze", "verify", "--man=no", copy.toString()),
                Duration.ofSeconds(60));
        assertEquals(0, result.exitCode(), result.output());
        List<String> aboutTheUnit = result.output().lines().filter(line -> line.contains(copy.toString())).toList();
        assertEquals(List.of(), aboutTheUnit, "systemd-analyze warned about the unit");
    }

    @Test
    void aStopLeavesTheDaemonTimeToEndACutover() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        assertTrue(lines.contains("KillMode=mixed"), "SIGTERM must reach the JVM only, not its psql or promote-command children");
        long stopSeconds = lines.stream().filter(l -> l.startsWith("TimeoutStopSec="))
                .map(l -> Long.parseLong(l.substring("TimeoutStopSec=".length()).replace("s", ""))).findFirst().orElseThrow();
        // OperationService.STOP_GRACE is 60 s: systemd must not SIGKILL before the daemon gave up waiting itself
        assertTrue(stopSeconds > 60, "TimeoutStopSec=" + stopSeconds + "s");
    }
}
