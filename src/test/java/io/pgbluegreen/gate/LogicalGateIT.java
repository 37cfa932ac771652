package io.pgbluegreen.gate;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logical gate against a real 14 -> 16 publisher/subscriber: it opens when the subscriber is complete and
 * current, and the preflight checks operators do by hand each close it for a real cause. Each test restores.
 */
class LogicalGateIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static LogicalPair pair;
    private static PgServer blue;
    private static PgServer green;
    private static Daemon daemon;

    @BeforeAll
    static void start() {
        pair = LogicalPair.start(14, 16);
        blue = pair.publisher();
        green = pair.subscriber();
        green.execute(DATABASE, "CREATE ROLE pgbg_monitor LOGIN PASSWORD 'monitor' IN ROLE pg_monitor");
        daemon = Daemon.config()
                .target("blue", blue, DATABASE)
                .target("green", green, DATABASE)
                .target("green-monitor", green.jdbcUrl(DATABASE), "pgbg_monitor", "monitor")
                .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.deployments.upgrade.gate.error-quiet-period", "3s")
                .logical("strict", "blue", "green", SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.deployments.strict.gate.max-replay-lag-bytes", "100")
                .logical("wrong-subscription", "blue", "green", "no_such_sub", pair.slot())
                .logical("backwards", "green", "blue", SUBSCRIPTION, pair.slot())
                .logical("not-owner", "blue", "green-monitor", SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.gate.interval", "1s")
                .start();
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void opensWhenTheSubscriberIsCompleteAndCurrent() {
        Verdict verdict = Gates.awaitReady(daemon, "upgrade", WAIT);
        assertEquals("pass", Gates.check(verdict, "tables_ready").status().label());
        assertEquals("pass", Gates.check(verdict, "blue_logical_settings").status().label());
        daemon.awaitMetric("pgbg_gate_ready", v -> v == 1, WAIT, "deployment", "upgrade");
    }

    @Test
    void aDisabledSubscriptionAndItsGrowingLagCloseIt() {
        Gates.awaitReady(daemon, "strict", WAIT);
        green.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " DISABLE");
        try {
            Gates.awaitCheck(daemon, "strict", "subscription_enabled", "fail", WAIT);
            Gates.awaitCheck(daemon, "strict", "subscription_worker_running", "fail", WAIT);
            Gates.assertCutoverRefused(daemon, "strict", "subscription_enabled");
            blue.execute(DATABASE, "INSERT INTO items(payload) SELECT 'lag' FROM generate_series(1, 100)");
            Gates.awaitCheck(daemon, "strict", "slot_lag_bytes", "fail", WAIT);
            Gates.assertCutoverRefused(daemon, "strict", "slot_lag_bytes");
        } finally {
            green.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " ENABLE");
        }
        Gates.awaitReady(daemon, "strict", WAIT);
    }

    @Test
    void anApplyErrorClosesItUntilThingsAreQuietAgain() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        green.execute(DATABASE, "INSERT INTO accounts VALUES (1000, 1)");
        blue.execute(DATABASE, "INSERT INTO accounts VALUES (1000, 2)");
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "no_new_subscription_errors", "fail", WAIT);
            assertTrue(Gates.check(verdict, "no_new_subscription_errors").message().contains("apply/sync error"));
            Gates.assertCutoverRefused(daemon, "upgrade", "no_new_subscription_errors");
        } finally {
            green.execute(DATABASE, "DELETE FROM accounts WHERE id = 1000");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
        assertEquals(2, green.queryLong(DATABASE, "SELECT balance FROM accounts WHERE id = 1000"));
    }

    @Test
    void aTableWithoutIdentityClosesIt() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        for (PgServer side : new PgServer[]{blue, green}) {
            side.execute(DATABASE, "CREATE TABLE no_key (a int, b text)");
        }
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "replica_identity", "fail", WAIT);
            assertTrue(Gates.check(verdict, "replica_identity").message().contains("public.no_key"), verdict.toString());
            Gates.assertCutoverRefused(daemon, "upgrade", "replica_identity");
            blue.execute(DATABASE, "ALTER TABLE no_key REPLICA IDENTITY FULL");
            Gates.awaitCheck(daemon, "upgrade", "replica_identity", "pass", WAIT);
        } finally {
            for (PgServer side : new PgServer[]{blue, green}) {
                side.execute(DATABASE, "DROP TABLE no_key");
            }
        }
    }

    @Test
    void schemaDriftAndAMissingSequenceCloseIt() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        green.execute(DATABASE, "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint");
        blue.execute(DATABASE, "CREATE SEQUENCE invoice_no");
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "schema_matches", "fail", WAIT);
            assertTrue(Gates.check(verdict, "schema_matches").message().contains("public.accounts differs"), verdict.toString());
            verdict = Gates.awaitCheck(daemon, "upgrade", "sequences_exist_on_green", "fail", WAIT);
            assertTrue(Gates.check(verdict, "sequences_exist_on_green").message().contains("public.invoice_no"));
            Gates.assertCutoverRefused(daemon, "upgrade", "schema_matches");
            Gates.assertCutoverRefused(daemon, "upgrade", "sequences_exist_on_green");
        } finally {
            green.execute(DATABASE, "ALTER TABLE accounts ALTER COLUMN balance TYPE numeric");
            blue.execute(DATABASE, "DROP SEQUENCE invoice_no");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    @Test
    void noFreeReplicationSlotOnBlueClosesIt() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        long free = blue.queryLong("postgres", "SELECT current_setting('max_replication_slots')::int - count(*) FROM pg_replication_slots");
        for (int i = 0; i < free; i++) {
            blue.execute("postgres", "SELECT pg_create_physical_replication_slot('filler_" + i + "')");
        }
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "blue_logical_settings", "fail", WAIT);
            assertTrue(Gates.check(verdict, "blue_logical_settings").message().contains("max_replication_slots"));
            Gates.assertCutoverRefused(daemon, "upgrade", "blue_logical_settings");
        } finally {
            for (int i = 0; i < free; i++) {
                blue.execute("postgres", "SELECT pg_drop_replication_slot('filler_" + i + "')");
            }
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    @Test
    void misconfiguredDeploymentsAreRefusedWithTheirReason() {
        Verdict wrong = Gates.awaitCheck(daemon, "wrong-subscription", "publication_and_subscription_exist", "fail", WAIT);
        assertTrue(Gates.check(wrong, "publication_and_subscription_exist").message().contains("no_such_sub"));
        Verdict backwards = Gates.awaitCheck(daemon, "backwards", "green_major_not_older", "fail", WAIT);
        assertTrue(Gates.check(backwards, "green_major_not_older").message().contains("older than blue's 16"));
        Verdict notOwner = Gates.awaitCheck(daemon, "not-owner", "green_privileges", "fail", WAIT);
        assertTrue(Gates.check(notOwner, "green_privileges").message().contains("ownership of subscription"));
        assertFalse(notOwner.ready());
        Gates.assertCutoverRefused(daemon, "wrong-subscription", "publication_and_subscription_exist");
        Gates.assertCutoverRefused(daemon, "backwards", "green_major_not_older");
        Gates.assertCutoverRefused(daemon, "not-owner", "green_privileges");
    }

    @Test
    void aTableStillSynchronizingClosesIt() throws Exception {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        for (PgServer side : new PgServer[]{blue, green}) {
            side.execute(DATABASE, "CREATE TABLE late_table (id int PRIMARY KEY)");
        }
        blue.execute(DATABASE, "INSERT INTO late_table SELECT generate_series(1, 1000)");
        // a lock on green's copy keeps the table's initial sync from finishing, whatever the machine's speed
        try (java.sql.Connection holder = green.connect(DATABASE); java.sql.Statement lock = holder.createStatement()) {
            lock.execute("BEGIN");
            lock.execute("LOCK TABLE late_table IN SHARE MODE"); // blocks the sync's COPY, not the refresh
            green.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION");
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "tables_ready", "fail", WAIT);
            assertTrue(Gates.check(verdict, "tables_ready").message().contains("still synchronizing"), verdict.toString());
            Gates.assertCutoverRefused(daemon, "upgrade", "tables_ready");
            lock.execute("ROLLBACK");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
        assertEquals(1000, green.queryLong(DATABASE, "SELECT count(*) FROM late_table"));
    }
}
