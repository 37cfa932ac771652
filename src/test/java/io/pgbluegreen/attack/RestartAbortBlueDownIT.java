package io.pgbluegreen.attack;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.ChildDaemon;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the reshape (issue 8), RestartAbort's retries: fd6d16b retried every refusal but "nothing to roll back",
 * "no longer the latest" and "decide by hand" for two minutes; the reshape retries the causes with retryCanHelp.
 * Blue down while the restarted daemon starts must still be retried (AcquireLockStep.tryLock: UNREACHABLE), so blue
 * is unfenced by itself once it is back.
 */
class RestartAbortBlueDownIT {
    @Test
    void blueDownAtStartIsRetriedUntilItIsBack() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            Path dir = Files.createTempDirectory("pgbg-review-bluedown");
            Files.writeString(dir.resolve("password"), PgServer.PASSWORD + "\n");
            Files.writeString(dir.resolve("token"), Daemon.TOKEN + "\n");
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot")) {
                try (ChildDaemon a = ChildDaemon.start(dir, yaml(dir, blue, green))) {
                    try {
                        a.post("/deployments/phys/cutover", Daemon.TOKEN);
                    } catch (java.io.IOException diedBeforeAnswering) {
                        // halted inside or after the request
                    }
                    assertEquals(137, a.awaitExit(Duration.ofSeconds(90)), a.log());
                }
                assertFalse(canLogIn(blue), "blue fenced by the cut-off cutover");
                blue.stop();
                try (Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                        .physical("phys", "blue", "green")
                        .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString()).start()) {
                    Thread.sleep(7_000);   // a few refused attempts while blue is down
                    blue.start();
                    Await.until(Duration.ofSeconds(60), "the restarted daemon to unfence blue by itself", () -> canLogIn(blue));
                    assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("\"detail\":\"rollback\""));
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
                  fault: {halt-after-step: fence_blue}
                  metrics: {jmx: false}
                  targets:
                    blue: {url: "%2$s", user: postgres, password-file: "%1$s/password"}
                    green: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                  deployments:
                    phys: {blue: blue, green: green, mode: physical}
                """.formatted(dir, blue.jdbcUrl(), green.jdbcUrl());
    }

    private static boolean canLogIn(PgServer server) {
        try {
            server.connectAs("postgres", "app", "app").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
