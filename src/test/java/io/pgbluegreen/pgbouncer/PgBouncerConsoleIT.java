package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.ChildProcesses;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin console session against a real PgBouncer: answers, refusals in PgBouncer's words, and a lost session. */
class PgBouncerConsoleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void oneSessionRunsCommandsAndNamesWhatPgBouncerRefused() throws Exception {
        try (PgServer server = PgServer.start("console", 15);
             PgBouncerServer bouncer = PgBouncerServer.start("app", server, "postgres", "postgres", PgServer.PASSWORD)) {
            PgBouncerSettings settings = settings(bouncer.adminUrl(), PgBouncerServer.ADMIN, bouncer);
            try (PgBouncerConsole console = PgBouncerConsole.open(settings, TIMEOUT)) {
                List<String> databases = console.run("SHOW DATABASES");
                assertTrue(databases.stream().anyMatch(row -> row.startsWith("app|127.0.0.1|" + server.port() + "|postgres|")),
                        databases.toString());
                SQLException refused = assertThrows(SQLException.class, () -> console.run("RESUME app"));
                assertEquals("PgBouncer refused 'RESUME app': database app is not paused", refused.getMessage());
                assertEquals(List.of(), console.run("PAUSE app"), "the session carries on after a refusal");
                assertEquals(List.of(), console.run("RESUME app"));
                assertEquals(1, ChildProcesses.psql().size(), "the session is one psql process, held open");
            }
            assertEquals(List.of(), ChildProcesses.psql(), "closing the session ends its psql");

            PgBouncerSwitch pgbouncer = new PgBouncerSwitch(settings, TIMEOUT);
            // a held session that broke (PgBouncer restarted, psql gone) is replaced once for a read
            pgbouncer.connect();
            ChildProcesses.psql().forEach(ProcessHandle::destroyForcibly);
            assertTrue(pgbouncer.show("SHOW DATABASES").stream().anyMatch(row -> row.startsWith("app|")));
            pgbouncer.pause();
            bouncer.close();
            SQLException gone = assertThrows(SQLException.class, pgbouncer::resume);
            assertTrue(gone.getMessage().contains("session ended") || gone.getMessage().contains("session is gone")
                    || gone.getMessage().contains("cannot open"), gone.getMessage());
            pgbouncer.close();
        }
    }

    @Test
    void aConsoleThatCannotBeReachedIsNamed() throws Exception {
        int closedPort = FreePort.next();
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/pgbouncer";
        SQLException e = assertThrows(SQLException.class,
                () -> PgBouncerConsole.open(new PgBouncerSettings(url, "pgbadmin", null, "app", "/nonexistent.ini", "psql"), TIMEOUT));
        assertTrue(e.getMessage().startsWith("cannot open PgBouncer's admin console at 127.0.0.1:" + closedPort + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused") || e.getMessage().contains("connection refused"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static PgBouncerSettings settings(String adminUrl, String user, PgBouncerServer bouncer) {
        return new PgBouncerSettings(adminUrl, user, null, "app", bouncer.configFile().toString(), "psql");
    }
}
