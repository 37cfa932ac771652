package io.pgbluegreen.sampling;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real PostgreSQL 15 primary with a streaming standby on a physical slot, watched by the real daemon.
 * The steps run in order on one pair: each leaves it streaming and caught up for the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PhysicalReplicationMonitoringIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static PgServer blue;
    private static PgServer green;
    private static Daemon daemon;

    @BeforeAll
    static void start() {
        blue = PgServer.start("blue", 15);
        green = PgServer.startStandby("green", blue, "green_slot");
        blue.execute("postgres", "CREATE TABLE IF NOT EXISTS load(id bigserial PRIMARY KEY, payload text)");
        daemon = Daemon.config()
                .target("blue", blue, "postgres")
                .target("green", green, "postgres")
                .physical("phys", "blue", "green")
                .start();
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (green != null) {
            green.close();
        }
        if (blue != null) {
            blue.close();
        }
    }

    @Test
    @Order(1)
    void exportsBothSidesAndTheDeployment() {
        daemon.awaitMetric("pgbg_up", v -> v == 1, WAIT, "target", "blue");
        daemon.awaitMetric("pgbg_up", v -> v == 1, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_in_recovery", v -> v == 1, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_replication_state", v -> v == 1, WAIT, "target", "blue", "application_name", "green",
                "state", "streaming");
        daemon.awaitMetric("pgbg_slot_active", v -> v == 1, WAIT, "target", "blue", "slot", "green_slot");
        daemon.awaitMetric("pgbg_slot_wal_status", v -> v == 1, WAIT, "target", "blue", "slot", "green_slot", "state", "reserved");
        daemon.awaitMetric("pgbg_wal_receiver_status", v -> v == 1, WAIT, "target", "green", "state", "streaming");
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v == 0, WAIT, "deployment", "phys");
        assertTrue(daemon.metric("pgbg_sample_age_seconds", "target", "blue").orElseThrow() < 10);
        assertTrue(daemon.metric("pgbg_timeline", "target", "green").orElseThrow() >= 1);
        String targets = daemon.get("/targets").body();
        assertTrue(targets.contains("\"role\":\"standby\""), targets);
        assertTrue(targets.contains("\"text\":\""), "LSNs are given as text too: " + targets);
    }

    @Test
    @Order(2)
    void pausedReplayMakesLagGrowAndResumeBringsItBackToZero() {
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        daemon.awaitMetric("pgbg_replay_paused", v -> v == 1, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_replay_pause_state", v -> v == 1, WAIT, "target", "green", "state", "paused");
        blue.execute("postgres", "INSERT INTO load(payload) SELECT repeat('x', 200) FROM generate_series(1, 5000)");
        double first = daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v > 0, WAIT, "deployment", "phys");
        blue.execute("postgres", "INSERT INTO load(payload) SELECT repeat('y', 200) FROM generate_series(1, 5000)");
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v > first, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_replication_replay_lag_bytes", v -> v > 0, WAIT, "target", "blue", "application_name", "green");
        daemon.awaitMetric("pgbg_replay_lag_bytes", v -> v > 0, WAIT, "target", "green");
        double seconds = daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v > 0, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v > seconds, WAIT, "deployment", "phys");

        green.execute("postgres", "SELECT pg_wal_replay_resume()");
        daemon.awaitMetric("pgbg_replay_paused", v -> v == 0, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v == 0, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_replay_lag_seconds", v -> v == 0, WAIT, "target", "green");
    }

    @Test
    @Order(3)
    void idlePrimaryKeepsTimeLagNearZero() throws InterruptedException {
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "phys");
        // A naive now() - pg_last_xact_replay_timestamp() would climb by a second per second here.
        for (int i = 0; i < 12; i++) {
            Thread.sleep(500);
            double standby = daemon.metric("pgbg_replay_lag_seconds", "target", "green").orElseThrow();
            double deployment = daemon.metric("pgbg_deployment_lag_seconds", "deployment", "phys").orElseThrow();
            assertTrue(standby < 1.0, "idle standby lag read " + standby);
            assertTrue(deployment < 1.0, "idle deployment lag read " + deployment);
        }
    }

    @Test
    @Order(4)
    void cutOffStandbyThatIsBehindDoesNotReadZero() {
        green.execute("postgres",
                "ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=1 user=postgres application_name=green'",
                "SELECT pg_reload_conf()");
        daemon.awaitMetric("pgbg_wal_receiver_status", v -> v == 0, WAIT, "target", "green", "state", "streaming");
        blue.execute("postgres", "INSERT INTO load(payload) SELECT 'cut off' FROM generate_series(1, 1000)");
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v > 0, WAIT, "deployment", "phys");
        double seconds = daemon.awaitMetric("pgbg_replay_lag_seconds", v -> v > 0, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_replay_lag_seconds", v -> v > seconds + 0.5, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v > 0, WAIT, "deployment", "phys");

        green.execute("postgres", "ALTER SYSTEM RESET primary_conninfo", "SELECT pg_reload_conf()");
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "phys");
        daemon.awaitMetric("pgbg_replay_lag_seconds", v -> v == 0, WAIT, "target", "green");
    }

    @Test
    @Order(5)
    void stoppedStandbyIsDownWhileTheDaemonKeepsServingAndComesBack() {
        green.stop();
        daemon.awaitMetric("pgbg_up", v -> v == 0, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_target_error", v -> v == 1, WAIT, "target", "green", "error", "connection_refused");
        daemon.awaitAbsent("pgbg_replication_state", WAIT, "target", "blue", "application_name", "green");
        daemon.awaitMetric("pgbg_slot_active", v -> v == 0, WAIT, "target", "blue", "slot", "green_slot");
        daemon.awaitAbsent("pgbg_deployment_lag_bytes", WAIT, "deployment", "phys");
        assertEquals(1.0, daemon.metric("pgbg_up", "target", "blue").orElseThrow());
        assertEquals(200, daemon.get("/prometheus").statusCode());
        assertTrue(daemon.get("/targets/green").body().contains("\"up\":false"));

        green.start();
        daemon.awaitMetric("pgbg_up", v -> v == 1, WAIT, "target", "green");
        daemon.awaitMetric("pgbg_replication_state", v -> v == 1, WAIT, "target", "blue", "application_name", "green",
                "state", "streaming");
        daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "phys");
    }
}
