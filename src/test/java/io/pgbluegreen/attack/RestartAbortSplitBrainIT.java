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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack on RestartAbort (found by review, now a regression test): a restarted daemon trusted its own journal ("the
 * point of no return was never started") and unfenced blue without looking at green, and only once an API request
 * woke it. If, while it was down, green was promoted another way (a second daemon, an operator's pg_promote), that
 * made two writable primaries. Now a second daemon is refused while blue is fenced (blue_not_fenced), and the
 * restarted daemon tries the abort at start by itself but leaves blue fenced beside a promoted green.
 */
class RestartAbortSplitBrainIT {

    @Test
    void aRestartedDaemonDoesNotUnfenceBlueBesideAGreenPromotedMeanwhile() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            Path dir = Files.createTempDirectory("pgbg-attack-restart");
            Files.writeString(dir.resolve("password"), PgServer.PASSWORD + "\n");
            Files.writeString(dir.resolve("token"), Daemon.TOKEN + "\n");
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot")) {
                // daemon A dies (host crash) right after prove_quiet: blue fenced, green still a standby
                try (ChildDaemon a = ChildDaemon.start(dir, yaml(dir, blue, green))) {
                    try {
                        a.post("/deployments/phys/cutover", Daemon.TOKEN);
                    } catch (java.io.IOException diedBeforeAnswering) {
                        // fine
                    }
                    assertEquals(137, a.awaitExit(Duration.ofSeconds(90)), a.log());
                }
                // while A is down, a second daemon (its own journal) is refused: blue is fenced already (A's fence,
                // which a fence of its own could not give back)
                Path other = Files.createTempDirectory("pgbg-attack-restart-b");
                try (Daemon b = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                        .physical("phys", "blue", "green")
                        .set("pg-bluegreen.journal.path", other.resolve("journal.jsonl").toString()).start()) {
                    Gates.awaitCheck(b, "phys", "blue_not_fenced", "fail", Duration.ofSeconds(30));
                    Gates.assertCutoverRefused(b, "phys", "blue_not_fenced");
                } finally {
                    OsUser.deleteTree(other);
                }
                // so an operator promotes green by hand
                green.execute("postgres", "SELECT pg_promote()");
                io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(30), "green promoted",
                        () -> "f".equals(green.queryString("postgres", "SELECT pg_is_in_recovery()")));
                // A's host comes back; systemd starts A again with its journal. Nobody calls the API: the restarted
                // daemon tries the abort by itself (eagerly), sees green promoted and leaves blue fenced.
                try (Daemon a = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                        .physical("phys", "blue", "green")
                        .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString()).start()) {
                    Thread.sleep(8_000);
                    assertFalse(writable(blue), "blue stays fenced beside a green promoted outside the cutover");
                    assertTrue(primaryTakingWrites(green));
                }
            } finally {
                OsUser.deleteTree(dir);
            }
        }
    }

    private static String yaml(Path dir, PgServer blue, PgServer green) {
        return """
                pg-bluegreen:
                  sample-interval: 250ms
                  journal: {path: "%1$s/journal.jsonl"}
                  api: {token-file: "%1$s/token"}
                  fault: {halt-after-step: prove_quiet}
                  metrics: {jmx: false}
                  targets:
                    blue: {url: "%2$s", user: postgres, password-file: "%1$s/password"}
                    green: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                  deployments:
                    phys: {blue: blue, green: green, mode: physical}
                """.formatted(dir, blue.jdbcUrl(), green.jdbcUrl());
    }

    private static boolean primaryTakingWrites(PgServer server) {
        return "off".equals(server.queryString("postgres", "SHOW default_transaction_read_only"))
                && "f".equals(server.queryString("postgres", "SELECT pg_is_in_recovery()"));
    }

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
