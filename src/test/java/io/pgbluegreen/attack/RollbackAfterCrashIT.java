package io.pgbluegreen.attack;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.ChildDaemon;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by review, now a regression test. Attack on "a rollback never leaves both sides unwritable": a rollback killed after fence_green is planned afresh
 * by the next one (blue was not unfenced yet), whose fence_green plans from green's current state: the roles are
 * NOLOGIN already and the ALTER SYSTEM value it saves as "previous" is the first fence's 'on'. Its undo ("give green
 * its fence back") therefore restores nothing: green stays fenced, blue stays fenced, and the operation says "green
 * is writable again". (The second failure is injected after audit_green; any transient error before unfence_blue,
 * e.g. a dropped connection or a reverse catch-up timeout, does the same.)
 */
class RollbackAfterCrashIT {
    private static final String TOKEN = Daemon.TOKEN;

    @Test
    void aRollbackRetriedAfterACrashMustNotLeaveBothSidesFenced() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            Path dir = Files.createTempDirectory("pgbg-attack-crash");
            Files.writeString(dir.resolve("password"), PgServer.PASSWORD + "\n");
            Files.writeString(dir.resolve("token"), TOKEN + "\n");
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot")) {
                try (Daemon daemon = daemon(blue, green, dir).start()) {
                    Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                    var cutover = Operations.cutover(daemon, "phys", null, Duration.ofSeconds(90));
                    assertEquals("succeeded", cutover.state(), cutover.toString());
                }
                // the operator rolls back; the daemon is killed right after it fenced green
                try (ChildDaemon child = ChildDaemon.start(dir, yaml(dir, blue, green))) {
                    try {
                        child.post("/deployments/phys/rollback", TOKEN);
                    } catch (java.io.IOException diedBeforeAnswering) {
                        // halted inside the request
                    }
                    assertEquals(137, child.awaitExit(Duration.ofSeconds(60)), child.log());
                }
                System.out.println("ATTACK after the crash: blue writable " + writable(blue) + ", green writable " + writable(green));
                // restarted, the operator retries; something fails once before unfence_blue
                try (Daemon daemon = daemon(blue, green, dir).set("pg-bluegreen.fault.fail-after-step", "audit_green").start()) {
                    var rollback = daemon.post("/deployments/phys/rollback", null);
                    System.out.println("ATTACK retried rollback answered " + rollback.statusCode() + ": " + rollback.body());
                    boolean blueW = writable(blue);
                    boolean greenW = writable(green);
                    System.out.println("ATTACK after it: blue writable " + blueW + ", green writable " + greenW);
                    assertTrue(blueW || greenW, "both sides unwritable after the rollback, which said: " + rollback.body());
                }
            } finally {
                OsUser.deleteTree(dir);
            }
        }
    }

    private static Daemon.Config daemon(PgServer blue, PgServer green, Path dir) {
        return Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                .physical("phys", "blue", "green")
                .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString());
    }

    private static String yaml(Path dir, PgServer blue, PgServer green) {
        return """
                pg-bluegreen:
                  sample-interval: 250ms
                  journal: {path: "%1$s/journal.jsonl"}
                  api: {token-file: "%1$s/token"}
                  fault: {halt-after-step: fence_green}
                  metrics: {jmx: false}
                  targets:
                    blue: {url: "%2$s", user: postgres, password-file: "%1$s/password"}
                    green: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                  deployments:
                    phys: {blue: blue, green: green, mode: physical}
                """.formatted(dir, blue.jdbcUrl(), green.jdbcUrl());
    }

    /** The application can log in and starts read-write (a promoted server). */
    private static boolean writable(PgServer server) {
        try {
            server.connectAs("postgres", "app", "app").close();
        } catch (SQLException e) {
            return false;
        }
        return "off".equals(server.queryString("postgres", "SHOW default_transaction_read_only"))
                && "f".equals(server.queryString("postgres", "SELECT pg_is_in_recovery()"));
    }
}
