package io.pgbluegreen.deploy;

import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped systemd units stop the daemon the way a running cutover needs, leave a PostgreSQL the agent started
 * running, and hand secrets over as credentials. (systemd's own parser reads them in SystemdUnitIT.)
 */
class SystemdUnitTest {
    private static final Path DAEMON = PgDistribution.projectDir().resolve("systemd/pg-bluegreen.service");
    private static final Path AGENT = PgDistribution.projectDir().resolve("systemd/pg-bluegreen-agent.service");

    @Test
    void aStopLeavesTheDaemonTimeToEndACutover() throws Exception {
        List<String> lines = Files.readAllLines(DAEMON);
        assertTrue(lines.contains("KillMode=mixed"), "SIGTERM must reach the JVM only, not its psql or promote-command children");
        long stopSeconds = lines.stream().filter(l -> l.startsWith("TimeoutStopSec="))
                .map(l -> Long.parseLong(l.substring("TimeoutStopSec=".length()).replace("s", ""))).findFirst().orElseThrow();
        // OperationService.STOP_GRACE is 60 s: systemd must not SIGKILL before the daemon gave up waiting itself
        assertTrue(stopSeconds > 60, "TimeoutStopSec=" + stopSeconds + "s");
        assertTrue(lines.contains("StateDirectory=pg-bluegreen"), "the journal's directory");
    }

    @Test
    void aStopOrRestartOfTheAgentLeavesThePostgresItStartedRunning() throws Exception {
        List<String> lines = Files.readAllLines(AGENT);
        assertTrue(lines.contains("KillMode=process"), "pg_ctl's server stays in the agent's control group");
        assertTrue(lines.contains("User=root"), "systemctl stop patroni needs root; PostgreSQL's tools run as os-user");
        // namespaces would be inherited by that server (its socket in a private /tmp, a read-only file system)
        for (String key : List.of("PrivateTmp=", "ProtectSystem=", "ProtectHome=", "PrivateDevices=", "ReadWritePaths=")) {
            assertFalse(lines.stream().anyMatch(l -> l.startsWith(key)), key);
        }
    }

    @Test
    void secretsAreCredentialsNotEnvironment() throws Exception {
        for (Path unit : List.of(DAEMON, AGENT)) {
            List<String> lines = Files.readAllLines(unit);
            assertTrue(lines.stream().anyMatch(l -> l.matches("LoadCredential=[a-z]+\\.token:/etc/pg-bluegreen/[a-z]+\\.token")),
                    unit + " loads the token as a credential");
            assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("Environment=")
                    && l.toUpperCase().matches(".*(PASSWORD|TOKEN|SECRET).*")).toList(), unit.toString());
        }
    }
}
