package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.Verdict;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.LeastPrivilege;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as a role that is no superuser and has exactly the README's grants, on real servers: a whole physical
 * cutover on 15, 16 and 17 and a whole logical one (16 -> 17) under write load lose nothing and leave blue fenced;
 * taking back any one grant makes the gate refuse and name it, even with the override below. The fixture's superuser
 * {@code postgres} can log in and no such role can fence it: the gate refuses it by name in fence_covers_superusers,
 * a check of its own so that overriding it (with a reason, the path the README gives operators; NOLOGIN for the
 * window would lock the fixture out of its own servers) cannot hide a role the daemon lacks a grant for. A superuser
 * session open at cutover time still makes the cutover abort at prove_quiet with blue writable again. With reverse
 * replication (16 -> 17), blue's reverse subscription runs as that role too and a rollback after green took writes
 * carries them back.
 */
class LeastPrivilegeCutoverIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration END = Duration.ofSeconds(90);
    private static final String UNFENCEABLE = "superuser(s) postgres can log in";
    private static final String OVERRIDE = """
            {"override": {"checks": ["fence_covers_superusers"], "reason": "postgres is the test fixture's own superuser: \
            it does not write while the cutover runs"}}""";

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 16, 17})
    void aPhysicalCutoverUnderLoadSucceedsWithTheDocumentedGrantsAlone(int major) throws Exception {
        try (PgServer blue = physicalBlue(major); PgServer green = PgServer.startStandby("green" + major, blue, "green_slot");
             Daemon daemon = daemon(blue.jdbcUrl(), green.jdbcUrl()).physical("phys", "blue", "green").start()) {
            awaitOnlySuperuserUnfenceable(daemon, "phys");
            try (WriteLoad load = new WriteLoad(blue.jdbcUrl(), "app", "app", 4, true)) {
                Thread.sleep(1500);
                var operation = Operations.cutover(daemon, "phys", OVERRIDE, END);
                load.target(green.jdbcUrl());
                Thread.sleep(500);
                load.stop();
                assertEquals("succeeded", operation.state(), operation.toString());
                assertNothingLost(load, green, "postgres");
            }
            assertFenced(blue, "postgres");
            assertEquals("f", green.queryString("postgres", "SELECT pg_is_in_recovery()"));
            green.connectAs("postgres", "app", "app").close();
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 16, 17})
    void takingBackAnyOneGrantMakesTheGateRefuseNamingIt(int major) {
        try (PgServer blue = physicalBlue(major); PgServer green = PgServer.startStandby("green" + major, blue, "green_slot");
             Daemon daemon = daemon(blue.jdbcUrl(), green.jdbcUrl()).physical("phys", "blue", "green").start()) {
            awaitOnlySuperuserUnfenceable(daemon, "phys");
            for (LeastPrivilege.Grant grant : LeastPrivilege.physical(major, List.of("app"))) {
                assertRefusedWithout(grant, daemon, "phys", blue, green, "postgres");
            }
        }
    }

    @Test
    void aSuperuserSessionOpenAtCutoverTimeAbortsTheCutoverWithBlueWritableAgain() throws Exception {
        try (PgServer blue = physicalBlue(17); PgServer green = PgServer.startStandby("green17", blue, "green_slot");
             Daemon daemon = daemon(blue.jdbcUrl(), green.jdbcUrl()).physical("phys", "blue", "green").start();
             Connection superuser = blue.connect("postgres"); Statement statement = superuser.createStatement()) {
            // a replayed commit, so green's time lag is known (a standby that replayed none has none to tell)
            blue.execute("postgres", "INSERT INTO items(payload) VALUES ('before the cutover')");
            awaitOnlySuperuserUnfenceable(daemon, "phys");
            var operation = Operations.cutover(daemon, "phys", OVERRIDE, END);
            assertEquals("aborted", operation.state(), operation.toString());
            String proveQuiet = operation.steps().stream().filter(s -> s.name().equals("prove_quiet")).findFirst()
                    .orElseThrow().detail();
            assertTrue(proveQuiet.contains("(postgres in postgres)"), proveQuiet);
            assertTrue(operation.detail().contains("blue is writable again"), operation.detail());
            blue.connectAs("postgres", "app", "app").close();
            assertEquals("off", blue.queryString("postgres", "SHOW default_transaction_read_only"));
            assertEquals("t", green.queryString("postgres", "SELECT pg_is_in_recovery()"));
            statement.execute("SELECT 1");   // the daemon could not end it
        }
    }

    @Test
    void aLogicalCutoverFrom16To17UnderLoadSucceedsWithTheDocumentedGrantsAlone() throws Exception {
        try (LogicalPair pair = logicalPair(); Daemon daemon = logicalDaemon(pair)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            awaitOnlySuperuserUnfenceable(daemon, "upgrade");
            try (WriteLoad load = new WriteLoad(blue.jdbcUrl(DATABASE), "app", "app", 4, true)) {
                Thread.sleep(1500);
                var operation = Operations.cutover(daemon, "upgrade", OVERRIDE, END);
                load.target(green.jdbcUrl(DATABASE));
                Thread.sleep(500);
                load.stop();
                assertEquals("succeeded", operation.state(), operation.toString());
                assertNothingLost(load, green, DATABASE);
            }
            assertFenced(blue, DATABASE);
            assertEquals("f", green.queryString(DATABASE, "SELECT subenabled FROM pg_subscription"));
            // the sequence was carried over: new rows on green take fresh ids
            green.execute(DATABASE, "INSERT INTO items(payload) SELECT 'after ' || g FROM generate_series(1, 100) g");
        }
    }

    @Test
    void takingBackAnyOneLogicalGrantMakesTheGateRefuseNamingIt() {
        try (LogicalPair pair = logicalPair(); Daemon daemon = logicalDaemon(pair)) {
            awaitOnlySuperuserUnfenceable(daemon, "upgrade");
            for (LeastPrivilege.Grant grant : LeastPrivilege.logical(16, 17, List.of("app"), SUBSCRIPTION)) {
                assertRefusedWithout(grant, daemon, "upgrade", pair.publisher(), pair.subscriber(), DATABASE);
            }
        }
    }

    @Test
    void reverseReplicationAndARollbackAfterGreenTookWritesWorkWithTheDocumentedGrantsAlone() {
        try (LogicalPair pair = logicalPair(true); Daemon daemon = logicalDaemon(pair, true)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            awaitOnlySuperuserUnfenceable(daemon, "upgrade");
            for (LeastPrivilege.Grant grant : LeastPrivilege.reverse(DATABASE)) {
                assertRefusedWithout(grant, daemon, "upgrade", blue, green, DATABASE);
            }
            var operation = Operations.cutover(daemon, "upgrade", OVERRIDE, END);
            assertEquals("succeeded", operation.state(), operation.toString());
            assertTrue(operation.steps().stream().anyMatch(step -> step.name().equals("enable_reverse")), operation.toString());
            green.execute(DATABASE, "INSERT INTO items(payload) VALUES ('written on green')");

            // blue's reverse subscription, run as the daemon's role, carried it: the rollback loses nothing
            var rollback = daemon.post("/deployments/upgrade/rollback", null);
            assertEquals(200, rollback.statusCode(), rollback.body());
            var view = Operations.read(daemon, rollback.body());
            assertEquals("succeeded", view.state(), rollback.body());
            assertEquals(List.of("fence_green", "audit_green", "reverse_catch_up", "sync_sequences_back", "stop_reverse",
                    "unfence_blue"), view.steps().stream().map(step -> step.name()).toList());
            assertEquals(1, blue.queryLong(DATABASE, "SELECT count(*) FROM items WHERE payload = 'written on green'"));
            blue.connectAs(DATABASE, "app", "app").close();
            assertThrows(SQLException.class, () -> green.connectAs(DATABASE, "app", "app").close(), "green is fenced");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A primary with the application's table and role, and the daemon's role with exactly the physical grants. */
    private static PgServer physicalBlue(int major) {
        PgServer blue = PgServer.start("blue" + major, major);
        try {
            PhysicalCutoverIT.prepare(blue);
            LeastPrivilege.createRole(blue);
            LeastPrivilege.grantAll(LeastPrivilege.physical(major, List.of("app")), blue, null, "postgres");
            return blue;
        } catch (RuntimeException e) {
            blue.close();
            throw e;
        }
    }

    private static LogicalPair logicalPair() {
        return logicalPair(false);
    }

    /**
     * 16 -> 17 (a subscription can be given to a role that is no superuser from 16 on), with the logical grants and,
     * with {@code reverse}, reverse replication's.
     */
    private static LogicalPair logicalPair(boolean reverse) {
        LogicalPair pair = LogicalPair.start(16, 17);
        try {
            LogicalCutoverIT.createAppRole(pair);
            LeastPrivilege.createRole(pair.publisher());
            LeastPrivilege.createRole(pair.subscriber());
            List<LeastPrivilege.Grant> grants = new java.util.ArrayList<>(LeastPrivilege.logical(16, 17, List.of("app"), SUBSCRIPTION));
            if (reverse) {
                grants.addAll(LeastPrivilege.reverse(DATABASE));
            }
            LeastPrivilege.grantAll(grants, pair.publisher(), pair.subscriber(), DATABASE);
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private static Daemon logicalDaemon(LogicalPair pair) {
        return logicalDaemon(pair, false);
    }

    private static Daemon logicalDaemon(LogicalPair pair, boolean reverse) {
        return daemon(pair.publisher().jdbcUrl(DATABASE), pair.subscriber().jdbcUrl(DATABASE))
                .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.deployments.upgrade.reverse-replication", reverse).start();
    }

    private static Daemon.Config daemon(String blueUrl, String greenUrl) {
        return Daemon.config().target("blue", blueUrl, LeastPrivilege.ROLE, LeastPrivilege.PASSWORD)
                .target("green", greenUrl, LeastPrivilege.ROLE, LeastPrivilege.PASSWORD);
    }

    /** Every check passes but fence_covers_superusers, which names the fixture's superuser. */
    private static Verdict awaitOnlySuperuserUnfenceable(Daemon daemon, String deployment) {
        Verdict[] last = {null};
        try {
            io.pgbluegreen.fixture.Await.until(WAIT, deployment + " to block on the superuser alone", () -> {
                last[0] = Gates.get(daemon, deployment);
                List<CheckResult> blocking = last[0].blocking();
                return blocking.size() == 1 && blocking.get(0).name().equals("fence_covers_superusers")
                        && blocking.get(0).message().contains(UNFENCEABLE);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; blocking: " + (last[0] == null ? "?" : last[0].blocking()), e);
        }
        return last[0];
    }

    /** Without {@code grant} the gate names it and even the superuser override does not let a cutover start. */
    private static void assertRefusedWithout(LeastPrivilege.Grant grant, Daemon daemon, String deployment, PgServer blue,
                                             PgServer green, String database) {
        grant.takeBack(blue, green, database);
        try {
            String[] seen = {""};
            io.pgbluegreen.fixture.Await.until(WAIT, "the gate to name " + grant.named(), () -> {
                seen[0] = Gates.get(daemon, deployment).blocking().stream().map(c -> c.name() + ": " + c.message())
                        .collect(Collectors.joining(" | "));
                return seen[0].contains(grant.named());
            });
            var response = daemon.post("/deployments/" + deployment + "/cutover", OVERRIDE);
            assertEquals(409, response.statusCode(), "without " + grant.statement() + ": " + response.body());
            assertTrue(response.body().contains(grant.named()), "without " + grant.statement() + ": " + response.body());
        } finally {
            grant.apply(blue, green, database);
        }
        awaitOnlySuperuserUnfenceable(daemon, deployment);
    }

    private static void assertNothingLost(WriteLoad load, PgServer green, String database) {
        Set<String> acked = load.acknowledged();
        assertTrue(acked.size() > 50, "load ran: " + acked.size() + " commits, errors " + load.errorMessages());
        assertTrue(acked.stream().anyMatch(p -> p.startsWith("insist:")), "the insisting writer wrote");
        Set<String> onGreen = new HashSet<>(green.queryList(database, "SELECT payload FROM items"));
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(onGreen);
        assertEquals(Set.of(), missing, "acknowledged writes missing on green");
        assertEquals(green.queryLong(database, "SELECT count(DISTINCT payload) FROM items"),
                green.queryLong(database, "SELECT count(*) FROM items"), "each row once");
    }

    private static void assertFenced(PgServer blue, String database) throws SQLException {
        assertThrows(SQLException.class, () -> blue.connectAs(database, "app", "app").close(), "app cannot log in to blue");
        assertEquals("on", blue.queryString(database, "SHOW default_transaction_read_only"));
    }
}
