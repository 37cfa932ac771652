package io.pgbluegreen.cutover;

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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon dies like kill -9 (halt, no shutdown hooks) right after each step of a physical or logical cutover is
 * journaled; a new daemon on the same journal reads the operation as interrupted at that step, there are never two
 * writable primaries, and rollback gives writes back to blue (and undoes every other change) whenever that is provably
 * safe.
 */
class CrashRecoveryIT {
    private static final String TOKEN = "crash-test-token";

    @Test
    void killedAtEachStepBoundaryTheInvariantsHold() throws Exception {
        // Before the point of no return one pair serves every step: the restarted daemon aborts the cutover by itself.
        try (Pair pair = Pair.start()) {
            for (String step : List.of("acquire_lock", "fence_blue", "prove_quiet", "catch_up")) {
                String id = crashAfter(pair, step);
                assertEquals(!step.equals("acquire_lock"), !pair.blueWritable(), "blue fenced after the crash at " + step);
                try (Daemon daemon = pair.daemon()) {
                    // no request first: the restarted daemon aborts by itself, not when the API is first asked
                    if (!step.equals("acquire_lock")) {
                        awaitAutomaticRollback(pair.dir(), id);
                    }
                    assertInterruptedAt(daemon, id, step);
                    pair.assertBlueWritable();
                    pair.assertAtMostOneWritable();
                    var rollback = daemon.post("/deployments/phys/rollback", null);
                    assertEquals(409, rollback.statusCode(), "nothing left to roll back: " + rollback.body());
                    Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                }
            }
        }
        // From the promotion on, each crash consumes a pair. Green's baseline is taken inside the promotion, before
        // any client can reach it: a rollback proves green took no writes and gives blue back.
        for (String step : List.of("promote", "switch_connections", "post_checks")) {
            try (Pair pair = Pair.start()) {
                String id = crashAfter(pair, step);
                try (Daemon daemon = pair.daemon()) {
                    var view = assertInterruptedAt(daemon, id, step);
                    pair.assertAtMostOneWritable();
                    assertTrue(String.join(" ", view.nextActions()).contains("green may have been promoted"), view.toString());
                    assertFalse(pair.blueWritable(), "no automatic abort after the point of no return");
                    var rollback = daemon.post("/deployments/phys/rollback", null);
                    assertEquals(200, rollback.statusCode(), rollback.body());
                    assertEquals("succeeded", Operations.read(daemon, rollback.body()).state(), rollback.body());
                    pair.assertBlueWritable();
                    pair.assertAtMostOneWritable();
                }
            }
        }
    }

    /** Waits until a rollback the restarted daemon started by itself after cutover {@code cutoverId} succeeded. */
    private static void awaitAutomaticRollback(Path dir, String cutoverId) {
        io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(60), "the automatic rollback after " + cutoverId, () -> {
            List<String> lines = journal(dir).lines().toList();
            int cutover = -1;
            String rollback = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains(cutoverId)) {
                    cutover = i;
                } else if (cutover >= 0 && line.contains("\"event\":\"operation-started\"") && line.contains("\"detail\":\"rollback\"")) {
                    rollback = line.replaceAll(".*\"operationId\":\"([^\"]+)\".*", "$1");
                } else if (rollback != null && line.contains(rollback) && line.contains("\"event\":\"operation-finished\"")) {
                    assertTrue(line.contains("\"state\":\"succeeded\""), line);
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void aDaemonStoppedDuringCatchUpAbortsTheCutoverBeforeExitingAndLeavesBlueWritable() throws Exception {
        try (Pair pair = Pair.start()) {
            pair.green().execute("postgres", "SELECT pg_wal_replay_pause()");
            pair.blue().execute("postgres", "INSERT INTO items(payload) VALUES ('not yet replayed')");
            // no fault injection, and a catch-up that would wait a minute for the paused green
            String yaml = pair.yaml("none").replace("  fault: {halt-after-step: none}\n", "")
                    .replace("mode: physical}", "mode: physical, gate: {catch-up-timeout: 60s}}");
            try (ChildDaemon child = ChildDaemon.start(pair.dir(), yaml)) {
                String override = "{\"override\":{\"checks\":[\"replay_not_paused\",\"replay_lag_bytes\",\"replay_lag_seconds\"],"
                        + "\"reason\":\"test: stop while green cannot catch up\"}}";
                io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(30), "the cutover to be accepted", () -> {
                    try {
                        return child.post("/deployments/phys/cutover", TOKEN, override).statusCode() == 202;
                    } catch (Exception e) {
                        return false;
                    }
                });
                io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(30), "catch_up to be waiting", () ->
                        journal(pair.dir()).contains("\"event\":\"step-started\",\"step\":\"catch_up\""));
                assertFalse(pair.blueWritable(), "blue is fenced while green catches up");
                child.terminate();
                child.awaitExit(Duration.ofSeconds(30));
                assertTrue(child.log().contains("letting 1 operation(s) end"), child.log());
            }
            String journal = journal(pair.dir());
            assertTrue(journal.contains("\"state\":\"aborted\"") && journal.contains("the daemon is stopping"), journal);
            pair.assertBlueWritable();
            try (Daemon daemon = pair.daemon()) {
                String started = Files.readAllLines(pair.dir().resolve("journal.jsonl")).stream()
                        .filter(l -> l.contains("\"event\":\"operation-started\"")).reduce((a, b) -> b).orElseThrow();
                String id = started.replaceAll(".*\"operationId\":\"([^\"]+)\".*", "$1");
                var view = Operations.read(daemon, daemon.get("/operations/" + id).body());
                assertEquals("aborted", view.state(), "a restart reads it as ended, not interrupted: " + view);
            }
        }
    }

    private static String journal(Path dir) {
        try {
            return Files.readString(dir.resolve("journal.jsonl"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String crashAfter(Pair pair, String step) throws Exception {
        return crashAfter(pair.dir, pair.yaml(step), "phys");
    }

    private static String crashAfter(Path dir, String yaml, String deployment) throws Exception {
        try (ChildDaemon child = ChildDaemon.start(dir, yaml)) {
            try {
                var response = child.post("/deployments/" + deployment + "/cutover", TOKEN);
                assertEquals(202, response.statusCode(), response.body() + child.log());
            } catch (java.io.IOException diedBeforeAnswering) {
                // acquire_lock runs inside the request: the daemon halts before it can answer
            }
            assertEquals(137, child.awaitExit(Duration.ofSeconds(90)), child.log());
        }
        // the operation id as the journal has it (the only record that survives a kill)
        String started = Files.readAllLines(dir.resolve("journal.jsonl")).stream()
                .filter(l -> l.contains("\"event\":\"operation-started\"")).reduce((a, b) -> b).orElseThrow();
        return started.replaceAll(".*\"operationId\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void logicalCutoverKilledAtEachStepBoundaryLeavesBlueFencedOrFollowedAndRollsBack() throws Exception {
        try (io.pgbluegreen.fixture.LogicalPair pair = io.pgbluegreen.fixture.LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            for (PgServer side : List.of(blue, green)) {
                side.execute("app", "CREATE ROLE app LOGIN PASSWORD 'app'");
            }
            Path dir = Files.createTempDirectory("pgbg-crash-logical");
            Files.writeString(dir.resolve("password"), PgServer.PASSWORD + "\n");
            Files.writeString(dir.resolve("token"), TOKEN + "\n");
            try {
                crashAtEveryLogicalStep(blue, green, dir);
            } finally {
                io.pgbluegreen.fixture.OsUser.deleteTree(dir);
            }
        }
    }

    private static void crashAtEveryLogicalStep(PgServer blue, PgServer green, Path dir) throws Exception {
        // Every step of the logical runbook with reverse replication. Before switch_connections (the point of no
        // return) the restarted daemon aborts by itself; after it, a rollback proves green took no writes.
        for (String step : List.of("acquire_lock", "prepare_marker", "fence_blue", "prove_quiet", "catch_up",
                "sync_sequences", "stop_subscription", "set_up_reverse", "switch_connections", "post_checks",
                "enable_reverse")) {
            String yaml = childYaml(dir, step, blue.jdbcUrl("app"), green.jdbcUrl("app"),
                    "upgrade: {blue: blue, green: green, mode: logical, subscription: bg_sub, slot: bg_sub, reverse-replication: true}");
            String id = crashAfter(dir, yaml, "upgrade");
            boolean fenced = !step.equals("acquire_lock") && !step.equals("prepare_marker");
            assertEquals(fenced, !canLogIn(blue), "blue fenced after " + step);
            boolean commitChanged = List.of("prepare_marker", "fence_blue", "prove_quiet", "catch_up", "sync_sequences")
                    .contains(step);
            assertEquals(commitChanged ? "on" : "off", subscriptionCommit(green), "after " + step);
            boolean pastNoReturn = List.of("switch_connections", "post_checks", "enable_reverse").contains(step);
            try (Daemon daemon = Daemon.config().target("blue", blue, "app").target("green", green, "app")
                    .logical("upgrade", "blue", "green", "bg_sub", "bg_sub")
                    .set("pg-bluegreen.deployments.upgrade.reverse-replication", true)
                    .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString()).start()) {
                if (!pastNoReturn && !step.equals("acquire_lock")) {
                    awaitAutomaticRollback(dir, id);   // before any request: it does not wait to be asked
                }
                var view = assertInterruptedAt(daemon, id, step);
                assertEquals(commitChanged, view.detail().contains("synchronous_commit = on"), view.detail());
                if (step.equals("acquire_lock")) {
                    var rollback = daemon.post("/deployments/upgrade/rollback", null);
                    assertEquals(409, rollback.statusCode(), "nothing was changed: " + rollback.body());
                    continue;
                }
                if (pastNoReturn) {
                    assertFalse(canLogIn(blue), "no automatic abort after the point of no return");
                    var rollback = daemon.post("/deployments/upgrade/rollback", null);
                    assertEquals(200, rollback.statusCode(), rollback.body());
                    assertEquals("succeeded", Operations.read(daemon, rollback.body()).state(), rollback.body());
                }
                assertTrue(canLogIn(blue), "blue takes logins again after the rollback of " + step);
                assertTrue(canLogIn(green), "green takes logins again as a subscriber after the rollback of " + step);
                assertEquals("t", green.queryString("app", "SELECT subenabled FROM pg_subscription"), "green follows blue again");
                assertEquals("off", subscriptionCommit(green), "the operator's synchronous_commit is back after " + step);
                assertEquals("0", blue.queryString("app", "SELECT count(*) FROM pg_subscription"), "no reverse subscription left");
                assertEquals("0", green.queryString("app", "SELECT count(*) FROM pg_replication_slots"), "no reverse slot left");
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
            }
        }
    }

    /**
     * A child daemon's configuration: journal, token and password files in {@code dir}, halting after
     * {@code haltAfter}, targets blue and green, and one deployment given as its YAML flow mapping line.
     */
    private static String childYaml(Path dir, String haltAfter, String blueUrl, String greenUrl, String deployment) {
        return """
                pg-bluegreen:
                  sample-interval: 250ms
                  journal: {path: "%1$s/journal.jsonl"}
                  api: {token-file: "%1$s/token"}
                  fault: {halt-after-step: %2$s}
                  metrics: {jmx: false}
                  targets:
                    blue: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                    green: {url: "%4$s", user: postgres, password-file: "%1$s/password"}
                  deployments:
                    %5$s
                """.formatted(dir, haltAfter, blueUrl, greenUrl, deployment);
    }

    private static String subscriptionCommit(PgServer green) {
        return green.queryString("app", "SELECT subsynccommit FROM pg_subscription WHERE subname = 'bg_sub'");
    }

    private static boolean canLogIn(PgServer server) {
        try {
            server.connectAs("app", "app", "app").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static io.pgbluegreen.operation.OperationView assertInterruptedAt(Daemon daemon, String id, String step) {
        var view = Operations.read(daemon, daemon.get("/operations/" + id).body());
        assertEquals("interrupted", view.state(), view.toString());
        assertTrue(view.detail().contains("last completed step: " + step), view.detail());
        assertFalse(view.nextActions().isEmpty());
        return view;
    }

    /** A PostgreSQL 15 primary and standby with an application role, plus a directory for configs and the journal. */
    private record Pair(PgServer blue, PgServer green, Path dir) implements AutoCloseable {
        static Pair start() throws Exception {
            PgServer blue = PgServer.start("blue", 15);
            PhysicalCutoverIT.prepare(blue);
            PgServer green = PgServer.startStandby("green", blue, "green_slot");
            Path dir = Files.createTempDirectory("pgbg-crash");
            Files.writeString(dir.resolve("password"), PgServer.PASSWORD + "\n");
            Files.writeString(dir.resolve("token"), TOKEN + "\n");
            return new Pair(blue, green, dir);
        }

        String yaml(String haltAfter) {
            return childYaml(dir, haltAfter, blue.jdbcUrl(), green.jdbcUrl(), "phys: {blue: blue, green: green, mode: physical}");
        }

        Daemon daemon() {
            return Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                    .physical("phys", "blue", "green")
                    .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString())
                    .start();
        }

        boolean blueWritable() {
            try {
                blue.connectAs("postgres", "app", "app").close();
            } catch (SQLException e) {
                return false;
            }
            return "off".equals(blue.queryString("postgres", "SHOW default_transaction_read_only"));
        }

        boolean greenWritable() {
            return "f".equals(green.queryString("postgres", "SELECT pg_is_in_recovery()"))
                    && "off".equals(green.queryString("postgres", "SHOW default_transaction_read_only"));
        }

        void assertAtMostOneWritable() {
            assertFalse(blueWritable() && greenWritable(), "two writable primaries");
        }

        void assertBlueWritable() {
            assertTrue(blueWritable(), "blue takes writes again");
        }

        @Override
        public void close() {
            green.close();
            blue.close();
            io.pgbluegreen.fixture.OsUser.deleteTree(dir);
        }
    }
}
