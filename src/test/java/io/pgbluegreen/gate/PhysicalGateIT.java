package io.pgbluegreen.gate;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The physical gate against a real PostgreSQL 15 pair: it opens when the standby is ready, and each check closes
 * it, naming itself, when its condition is broken for real. Each test restores the pair.
 */
class PhysicalGateIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static PgServer blue;
    private static PgServer green;
    private static Daemon daemon;

    @BeforeAll
    static void start() {
        blue = PgServer.start("blue", 15);
        green = PgServer.startStandby("green", blue, "green_slot");
        blue.execute("postgres", "CREATE TABLE load(id bigserial PRIMARY KEY, payload text)",
                "CREATE ROLE pgbg_monitor LOGIN PASSWORD 'monitor' IN ROLE pg_monitor");
        daemon = Daemon.config()
                .target("blue", blue, "postgres")
                .target("green", green, "postgres")
                .target("blue-monitor", blue.jdbcUrl(), "pgbg_monitor", "monitor")
                .target("green-monitor", green.jdbcUrl(), "pgbg_monitor", "monitor")
                .physical("phys", "blue", "green")
                .physical("strict", "blue", "green")
                .set("pg-bluegreen.deployments.strict.gate.max-transaction-age", "1s")
                .set("pg-bluegreen.deployments.strict.gate.max-replay-lag-bytes", "1000")
                .set("pg-bluegreen.deployments.strict.gate.max-replay-lag", "1s")
                // written with underscores: Micronaut binds names in kebab-case and references are normalized alike
                .physical("monitor-only", "blue_monitor", "green_monitor")
                .set("pg-bluegreen.gate.interval", "1s")
                .start();
    }

    @AfterAll
    static void stop() {
        io.pgbluegreen.support.Teardown.closeAll(daemon, green, blue);
    }

    @Test
    void opensWhenTheStandbyIsReadyAndExportsIt() {
        Verdict verdict = Gates.awaitReady(daemon, "phys", WAIT);
        assertTrue(verdict.checks().size() >= 11, verdict.toString());
        String json = daemon.get("/deployments/phys/gate").body();
        assertTrue(json.contains("\"deployment\":\"phys\"") && json.contains("\"ready\":true")
                && json.contains("\"observed\"") && json.contains("\"threshold\""), json);
        daemon.awaitMetric("pgbg_gate_ready", v -> v == 1, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_gate_check", v -> v == 1, WAIT, "deployment", "phys", "check", "replay_not_paused", "state", "pass");
        assertEquals(404, daemon.get("/deployments/nope/gate").statusCode());
    }

    @Test
    void pausedReplayAndLagCloseIt() {
        Gates.awaitReady(daemon, "strict", WAIT);
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        try {
            blue.execute("postgres", "INSERT INTO load(payload) SELECT repeat('x', 100) FROM generate_series(1, 2000)");
            Verdict verdict = Gates.awaitCheck(daemon, "strict", "replay_lag_bytes", "fail", WAIT);
            assertFalse(verdict.ready());
            assertEquals("fail", Gates.check(verdict, "replay_not_paused").status().label());
            Gates.assertCutoverRefused(daemon, "strict", "replay_not_paused");
            Gates.awaitCheck(daemon, "strict", "replay_lag_seconds", "fail", WAIT);
            daemon.awaitMetric("pgbg_gate_ready", v -> v == 0, WAIT, "deployment", "strict");
        } finally {
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
        Gates.awaitReady(daemon, "strict", WAIT);
    }

    @Test
    void preparedAndLongTransactionsOnBlueCloseIt() throws Exception {
        Gates.awaitReady(daemon, "strict", WAIT);
        try (Connection writer = blue.connect("postgres"); Statement statement = writer.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("INSERT INTO load(payload) VALUES ('prepared')");
            statement.execute("PREPARE TRANSACTION 'pgbg_test'");
            Verdict verdict = Gates.awaitCheck(daemon, "strict", "blue_no_prepared_transactions", "fail", WAIT);
            assertTrue(Gates.check(verdict, "blue_no_prepared_transactions").message().contains("1 prepared"));
            Gates.assertCutoverRefused(daemon, "strict", "blue_no_prepared_transactions");
            statement.execute("ROLLBACK PREPARED 'pgbg_test'");
        }
        Gates.awaitCheck(daemon, "strict", "blue_no_prepared_transactions", "pass", WAIT);
        try (Connection idle = blue.connect("postgres"); Statement statement = idle.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("SELECT txid_current()");
            Gates.awaitCheck(daemon, "strict", "blue_no_old_transactions", "fail", WAIT);
            Gates.assertCutoverRefused(daemon, "strict", "blue_no_old_transactions");
            statement.execute("ROLLBACK");
        }
        Gates.awaitReady(daemon, "strict", WAIT);
    }

    @Test
    void aCutOffStandbyFailsStreamingAndSlotChecks() {
        Gates.awaitReady(daemon, "phys", WAIT);
        green.execute("postgres",
                "ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=1 user=postgres application_name=green'",
                "SELECT pg_reload_conf()");
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "phys", "green_streams_from_blue", "fail", WAIT);
            assertTrue(Gates.check(verdict, "green_streams_from_blue").message().contains("not streaming"), verdict.toString());
            Gates.awaitCheck(daemon, "phys", "green_slot_healthy", "fail", WAIT);
            Gates.assertCutoverRefused(daemon, "phys", "green_streams_from_blue");
            Gates.assertCutoverRefused(daemon, "phys", "green_slot_healthy");
        } finally {
            green.execute("postgres", "ALTER SYSTEM RESET primary_conninfo", "SELECT pg_reload_conf()");
        }
        Gates.awaitReady(daemon, "phys", WAIT);
    }

    @Test
    void aMonitorOnlyRoleLacksWhatTheStepsNeedAndIsToldWhat() {
        Verdict verdict = Gates.awaitCheck(daemon, "monitor-only", "blue_privileges", "fail", WAIT);
        String blueMessage = Gates.check(verdict, "blue_privileges").message();
        assertTrue(blueMessage.contains("CREATEROLE") && blueMessage.contains("pg_signal_backend")
                && blueMessage.contains("ALTER SYSTEM"), blueMessage);
        CheckResult green = Gates.check(verdict, "green_privileges");
        assertEquals("fail", green.status().label());
        assertTrue(green.message().contains("pg_promote"), green.message());
        assertFalse(verdict.ready());
        Gates.assertCutoverRefused(daemon, "monitor-only", "blue_privileges");
    }

    @Test
    void aStoppedStandbyIsNotReachable() {
        Gates.awaitReady(daemon, "phys", WAIT);
        green.stop();
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "phys", "green_reachable", "fail", WAIT);
            assertTrue(Gates.check(verdict, "green_reachable").message().startsWith("green cannot be sampled"), verdict.toString());
            Gates.assertCutoverRefused(daemon, "phys", "green_reachable");
        } finally {
            green.start();
        }
        Gates.awaitReady(daemon, "phys", WAIT);
    }
}
