package io.pgbluegreen.deploy;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shipped systemd units, the daemon's and the host agent's, through systemd's own parser: it accepts every
 * line (it only warns about a typo and carries on, so the test fails on any warning). verify checks that ExecStart's
 * program (/usr/bin/java) exists, not the jar it is given, nor LoadCredential='s files. What the units say about
 * stopping is checked in SystemdUnitTest.
 */
class SystemdUnitIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pg-bluegreen.service", "pg-bluegreen-agent.service"})
    void systemdParsesEveryLineWithoutAWarning(String unit) throws Exception {
        Path copy = Files.copy(PgDistribution.projectDir().resolve("systemd").resolve(unit), dir.resolve(unit));
        Exec.Result result = Exec.runAllowingFailure(List.of("systemd-analyze", "verify", "--man=no", copy.toString()),
                Duration.ofSeconds(60));
        assertEquals(0, result.exitCode(), result.output());
        List<String> aboutTheUnit = result.output().lines().filter(line -> line.contains(copy.toString())).toList();
        assertEquals(List.of(), aboutTheUnit, "systemd-analyze warned about " + unit);
    }
}
