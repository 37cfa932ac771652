package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cutover from a PostgreSQL 14 publisher to a 16 subscriber under write load: every acknowledged commit reaches
 * green exactly once, sequences are carried over so new rows on green do not collide, and blue ends fenced.
 */
class LogicalCutoverIT {

    /** The application's role on both sides (roles are per cluster in logical replication). */
    static void createAppRole(LogicalPair pair) {
        for (PgServer side : List.of(pair.publisher(), pair.subscriber())) {
            side.execute(DATABASE, "CREATE ROLE app LOGIN PASSWORD 'app'", "GRANT ALL ON ALL TABLES IN SCHEMA public TO app",
                    "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO app");
        }
    }

    /** The daemon watching the pair as deployment "upgrade", with reverse replication set up at cutover. */
    private static Daemon.Config withReverseReplication(LogicalPair pair) {
        return Daemon.config().target("blue", pair.publisher(), DATABASE).target("green", pair.subscriber(), DATABASE)
                .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.deployments.upgrade.reverse-replication", true);
    }

    @Test
    void cutsOverUnderLoadWithoutLosingAWriteAndCarriesSequences() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            createAppRole(pair);
            try (Daemon daemon = Daemon.config().target("blue", blue, DATABASE).target("green", green, DATABASE)
                    .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot()).start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                WriteLoad load = new WriteLoad(blue.jdbcUrl(DATABASE), "app", "app", 4, true);
                Thread.sleep(1500);
                var operation = Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90));
                assertEquals("succeeded", operation.state(), operation.toString());
                assertEquals(List.of("acquire_lock", "prepare_marker", "fence_blue", "prove_quiet", "catch_up",
                        "sync_sequences", "stop_subscription", "set_up_reverse", "switch_connections", "post_checks",
                        "enable_reverse"),
                        operation.steps().stream().map(s -> s.name()).toList());
                int beforeSwitch = load.acknowledged().size();
                load.target(green.jdbcUrl(DATABASE));
                Thread.sleep(1000);
                load.stop();

                Set<String> acked = load.acknowledged();
                assertTrue(acked.size() > beforeSwitch, "the application writes on green after the switch");
                Set<String> onGreen = new HashSet<>(green.queryList(DATABASE, "SELECT payload FROM items"));
                Set<String> missing = new HashSet<>(acked);
                missing.removeAll(onGreen);
                assertEquals(Set.of(), missing, "acknowledged writes missing on green");
                assertEquals(green.queryLong(DATABASE, "SELECT count(DISTINCT payload) FROM items"),
                        green.queryLong(DATABASE, "SELECT count(*) FROM items"), "each row once");
                assertTrue(acked.size() > 50, "load ran: " + acked.size() + " commits");
                assertTrue(acked.stream().anyMatch(p -> p.startsWith("insist:")), "the insisting writer wrote");

                // sequences were carried over: new rows on green take fresh ids (the writers above already did)
                green.execute(DATABASE, "INSERT INTO items(payload) SELECT 'after ' || g FROM generate_series(1, 100) g");
                assertEquals("f", green.queryString(DATABASE, "SELECT subenabled FROM pg_subscription"));
                assertThrows(SQLException.class, () -> blue.connectAs(DATABASE, "app", "app").close());

                var rollback = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(409, rollback.statusCode(), rollback.body());
                assertTrue(rollback.body().contains("green took writes"), rollback.body());
            }
        }
    }

    @Test
    void anAbortAfterReverseReplicationWasSetUpRemovesItAndGivesEverythingBack() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            createAppRole(pair);
            try (Daemon daemon = withReverseReplication(pair)
                    .set("pg-bluegreen.fault.fail-after-step", "set_up_reverse").start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                var operation = Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90));
                assertEquals("aborted", operation.state(), operation.toString());
                assertTrue(operation.detail().contains("blue is writable again"), operation.detail());
                blue.connectAs(DATABASE, "app", "app").close();
                assertEquals("off", blue.queryString(DATABASE, "SHOW default_transaction_read_only"));
                assertEquals(0, blue.queryLong(DATABASE, "SELECT count(*) FROM pg_subscription"), "reverse subscription dropped");
                assertEquals(0, green.queryLong(DATABASE, "SELECT count(*) FROM pg_replication_slots"), "reverse slot dropped");
                assertEquals("t", green.queryString(DATABASE, "SELECT subenabled FROM pg_subscription"));
                assertEquals("off", green.queryString(DATABASE, "SELECT subsynccommit FROM pg_subscription"));
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
            }
        }
    }

    @Test
    void aRollbackThatFailedAfterCarryingGreensWritesLeavesGreenWritableAndTheNextOneFinishes() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            createAppRole(pair);
            try (Daemon daemon = withReverseReplication(pair)
                    .set("pg-bluegreen.deployments.upgrade.gate.catch-up-timeout", "5s")
                    .set("pg-bluegreen.fault.fail-after-step", "stop_reverse").start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                assertEquals("succeeded", Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90)).state());
                green.execute(DATABASE, "INSERT INTO items(payload) VALUES ('written on green')");

                // the first rollback carries green's writes to blue, drops the reverse replication, then fails: green
                // gets its fence back (never both sides unwritable), and blue stays fenced
                var first = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(200, first.statusCode(), first.body());
                var failed = Operations.read(daemon, first.body());
                assertEquals("failed", failed.state(), first.body());
                assertTrue(failed.detail().contains("green is writable again"), failed.detail());
                green.connectAs(DATABASE, "app", "app").close();
                assertThrows(SQLException.class, () -> blue.connectAs(DATABASE, "app", "app").close());
                assertEquals(0, green.queryLong(DATABASE, "SELECT count(*) FROM pg_replication_slots"), "reverse slot already dropped");

                // the next one knows blue has everything green wrote before it was unfenced again: it finishes
                var second = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(200, second.statusCode(), second.body());
                var view = Operations.read(daemon, second.body());
                assertEquals("succeeded", view.state(), second.body());
                assertEquals(List.of("fence_green", "audit_green", "sync_sequences_back", "stop_reverse", "unfence_blue"),
                        view.steps().stream().map(s -> s.name()).toList());
                blue.connectAs(DATABASE, "app", "app").close();
                assertEquals(1, blue.queryLong(DATABASE, "SELECT count(*) FROM items WHERE payload = 'written on green'"));
            }
        }
    }

    /**
     * A rollback fails after it dropped the reverse replication and resumed the subscription (green took no writes):
     * green gets its fence back. The next one is planned afresh: the failed one's own writes on green (fence, ENABLE,
     * unfence) are journaled as ours, so it succeeds; unless green took a write meanwhile, which nothing would carry
     * to blue any more: then it is refused before anything changes.
     */
    @ParameterizedTest(name = "green writes in between: {0}")
    @ValueSource(booleans = {false, true})
    void aRollbackThatFailedPartWayIsPlannedAfresh(boolean greenWritesInBetween) throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            createAppRole(pair);
            try (Daemon daemon = withReverseReplication(pair)
                    .set("pg-bluegreen.fault.fail-after-step", "resume_subscription").start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                assertEquals("succeeded", Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90)).state());
                var first = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals("failed", Operations.read(daemon, first.body()).state(), first.body());
                green.connectAs(DATABASE, "app", "app").close();
                if (greenWritesInBetween) {
                    green.execute(DATABASE, "INSERT INTO items(payload) VALUES ('after the failed rollback')");
                }
                var second = daemon.post("/deployments/upgrade/rollback", null);
                if (greenWritesInBetween) {
                    assertEquals(409, second.statusCode(), second.body());
                    assertTrue(second.body().contains("already dropped the reverse replication"), second.body());
                    assertThrows(SQLException.class, () -> blue.connectAs(DATABASE, "app", "app").close());
                    green.connectAs(DATABASE, "app", "app").close();
                    assertEquals("off", green.queryString(DATABASE,
                            "SELECT reset_val FROM pg_settings WHERE name = 'default_transaction_read_only'"));
                    return;
                }
                assertEquals(200, second.statusCode(), second.body());
                assertEquals("succeeded", Operations.read(daemon, second.body()).state(), second.body());
                blue.connectAs(DATABASE, "app", "app").close();
                green.connectAs(DATABASE, "app", "app").close();
                assertEquals("t", green.queryString(DATABASE, "SELECT subenabled FROM pg_subscription WHERE subname = 'bg_sub'"));
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
            }
        }
    }

    /**
     * Green took writes, and the way back is broken: DDL on green that blue does not have, or blue's reverse
     * subscription stopped. Both are found before anything changes: refused, green stays the writable primary.
     */
    @Test
    void aRollbackWhoseWayBackIsBrokenIsRefusedBeforeItChangesAnything() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            createAppRole(pair);
            try (Daemon daemon = withReverseReplication(pair).start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                assertEquals("succeeded", Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90)).state());
                green.execute(DATABASE, "INSERT INTO items(payload) VALUES ('written on green')");

                green.execute(DATABASE, "ALTER TABLE accounts ADD COLUMN note text");
                var drift = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(409, drift.statusCode(), drift.body());
                assertTrue(drift.body().contains("accounts") && drift.body().contains("nothing was changed"), drift.body());
                assertGreenStillThePrimary(blue, green);
                green.execute(DATABASE, "ALTER TABLE accounts DROP COLUMN note");

                blue.execute(DATABASE, "SET default_transaction_read_only = off", "ALTER SUBSCRIPTION pgbg_reverse_upgrade DISABLE");
                var stopped = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(409, stopped.statusCode(), stopped.body());
                assertTrue(stopped.body().contains("is disabled"), stopped.body());
                assertGreenStillThePrimary(blue, green);
            }
        }
    }

    private static void assertGreenStillThePrimary(PgServer blue, PgServer green) throws SQLException {
        green.connectAs(DATABASE, "app", "app").close();
        assertEquals("off", green.queryString(DATABASE, "SELECT reset_val FROM pg_settings WHERE name = 'default_transaction_read_only'"));
        assertThrows(SQLException.class, () -> blue.connectAs(DATABASE, "app", "app").close());
    }

    @Test
    void withReverseReplicationARollbackAfterGreenTookWritesLosesNothing() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            createAppRole(pair);
            try (Daemon daemon = withReverseReplication(pair)
                    .set("pg-bluegreen.deployments.upgrade.sequence-gap", "1000").start()) {
                // A reverse slot an earlier cutover left on green: it holds the rows below, which green got from
                // blue; reused, it would replay them into blue.
                green.queryString(DATABASE, "SELECT lsn::text FROM pg_create_logical_replication_slot('pgbg_reverse_upgrade', 'pgoutput')");
                blue.execute(DATABASE, "INSERT INTO items(payload) SELECT 'before ' || g FROM generate_series(1, 50) g");
                // a sequence near its end gets only what is left of the gap
                for (PgServer side : List.of(blue, green)) {
                    side.execute(DATABASE, "CREATE SEQUENCE tight MAXVALUE 500");
                }
                blue.queryString(DATABASE, "SELECT nextval('tight')");
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                var operation = Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90));
                assertEquals("succeeded", operation.state(), operation.toString());
                assertTrue(operation.steps().stream().anyMatch(s -> s.name().equals("set_up_reverse")
                        && s.detail().contains("blue subscribes to green") && s.detail().contains("removed first")),
                        operation.toString());
                assertEquals(blue.queryLong(DATABASE, "SELECT last_value FROM items_id_seq") + 1000,
                        green.queryLong(DATABASE, "SELECT last_value FROM items_id_seq"), "sequences carried with the gap");
                assertEquals(500, green.queryLong(DATABASE, "SELECT last_value FROM tight"));
                assertTrue(operation.steps().stream().anyMatch(s -> s.name().equals("sync_sequences")
                        && s.detail().contains("public.tight only as far as its limit")), operation.toString());

                // the application works on green for a while
                WriteLoad load = new WriteLoad(green.jdbcUrl(DATABASE), "app", "app", 3, false);
                Thread.sleep(1500);
                load.stop();
                Set<String> writtenOnGreen = load.acknowledged();
                assertTrue(writtenOnGreen.size() > 20, "writes on green: " + writtenOnGreen.size());
                long greenMaxId = green.queryLong(DATABASE, "SELECT max(id) FROM items");

                var rollback = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(200, rollback.statusCode(), rollback.body());
                var view = Operations.read(daemon, rollback.body());
                assertEquals("succeeded", view.state(), rollback.body());
                assertEquals(List.of("fence_green", "audit_green", "reverse_catch_up", "sync_sequences_back", "stop_reverse", "unfence_blue"),
                        view.steps().stream().map(s -> s.name()).toList());

                Set<String> missing = new HashSet<>(writtenOnGreen);
                missing.removeAll(new HashSet<>(blue.queryList(DATABASE, "SELECT payload FROM items")));
                assertEquals(Set.of(), missing, "writes green acknowledged are missing on blue after the rollback");
                blue.connectAs(DATABASE, "app", "app").close();
                blue.execute(DATABASE, "INSERT INTO items(payload) VALUES ('blue again')");
                assertTrue(blue.queryLong(DATABASE, "SELECT max(id) FROM items") > greenMaxId, "blue's sequence carries on past green's");
                assertThrows(SQLException.class, () -> green.connectAs(DATABASE, "app", "app").close());
                assertEquals(1, blue.queryLong(DATABASE, "SELECT count(*) FROM items WHERE payload = 'before 7'"));
                assertEquals(0, blue.queryLong(DATABASE, "SELECT count(*) FROM pg_subscription"), "reverse subscription dropped");
                assertEquals(0, green.queryLong(DATABASE, "SELECT count(*) FROM pg_replication_slots"), "reverse slot dropped");
            }
        }
    }
}
