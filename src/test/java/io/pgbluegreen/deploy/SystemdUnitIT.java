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

/**
 * The shipped systemd unit through systemd's own parser: it accepts every line (it only warns about a typo and
 * carries on, so the test fails on any warning). What the unit says about stopping is checked in SystemdUnitTest.
 */
class SystemdUnitIT {
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
}
