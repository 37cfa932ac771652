package io.pgbluegreen.deploy;

import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped systemd unit stops the daemon the way a running cutover needs. (systemd's own parser reads it in
 * SystemdUnitIT.)
 */
class SystemdUnitTest {
    private static final Path UNIT = PgDistribution.projectDir().resolve("systemd/pg-bluegreen.service");

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
