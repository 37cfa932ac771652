package io.pgbluegreen.sampling;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logical replication across majors, as an upgrade would run it, watched by the real daemon. */
class LogicalReplicationMonitoringIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"14, 16", "11, 15"})
    void tablesReachReadyLagReachesZeroAndADisabledSubscriptionReadsNotRunning(int blueMajor, int greenMajor) {
        try (LogicalPair pair = LogicalPair.start(blueMajor, greenMajor);
             Daemon daemon = Daemon.config()
                     .target("blue", pair.publisher(), DATABASE)
                     .target("green", pair.subscriber(), DATABASE)
                     .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                     .start()) {
            String[] sub = {"target", "green", "subscription", SUBSCRIPTION};
            daemon.awaitMetric("pgbg_subscription_tables", v -> v == 2, WAIT, with(sub, "state", "ready"));
            daemon.awaitMetric("pgbg_subscription_tables", v -> v == 0, WAIT, with(sub, "state", "init"));
            daemon.awaitMetric("pgbg_subscription_enabled", v -> v == 1, WAIT, sub);
            daemon.awaitMetric("pgbg_subscription_worker_running", v -> v == 1, WAIT, sub);
            daemon.awaitMetric("pgbg_target_info", v -> v == 1, WAIT, "target", "green", "role", "subscriber");
            daemon.awaitMetric("pgbg_slot_active", v -> v == 1, WAIT, "target", "blue", "slot", SUBSCRIPTION);
            daemon.awaitMetric("pgbg_replication_state", v -> v == 1, WAIT,
                    "target", "blue", "application_name", SUBSCRIPTION, "state", "streaming");
            daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "upgrade");
            daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v == 0, WAIT, "deployment", "upgrade");
            if (greenMajor >= 15) {
                daemon.awaitMetric("pgbg_subscription_apply_errors_total", v -> v == 0, WAIT, sub);
            }

            pair.publisher().execute(DATABASE, "INSERT INTO items(payload) SELECT 'live ' || g FROM generate_series(1, 500) g");
            awaitCaughtUpPast(daemon, pair.publisher().queryString(DATABASE, "SELECT pg_current_wal_lsn()::text"));
            assertEquals(1500, pair.subscriber().queryLong(DATABASE, "SELECT count(*) FROM items"));

            pair.subscriber().execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " DISABLE");
            daemon.awaitMetric("pgbg_subscription_enabled", v -> v == 0, WAIT, sub);
            daemon.awaitMetric("pgbg_subscription_worker_running", v -> v == 0, WAIT, sub);
            daemon.awaitMetric("pgbg_slot_active", v -> v == 0, WAIT, "target", "blue", "slot", SUBSCRIPTION);
            pair.publisher().execute(DATABASE, "INSERT INTO items(payload) SELECT 'while disabled' FROM generate_series(1, 500)");
            daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v > 0, WAIT, "deployment", "upgrade");
            double seconds = daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v > 0, WAIT, "deployment", "upgrade");
            daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v > seconds, WAIT, "deployment", "upgrade");
            String slotLag = daemon.metric("pgbg_slot_confirmed_flush_lag_bytes", "target", "blue", "slot", SUBSCRIPTION)
                    .map(String::valueOf).orElse("absent");
            assertTrue(!"absent".equals(slotLag) && Double.parseDouble(slotLag) > 0, "slot lag " + slotLag);

            pair.subscriber().execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " ENABLE");
            daemon.awaitMetric("pgbg_subscription_worker_running", v -> v == 1, WAIT, sub);
            daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "upgrade");
            daemon.awaitMetric("pgbg_deployment_lag_seconds", v -> v == 0, WAIT, "deployment", "upgrade");
        }
    }

    /** Lag 0 in a scrape whose blue sample was taken after blue reached {@code lsn} (not a stale zero). */
    private static void awaitCaughtUpPast(Daemon daemon, String lsn) {
        double wanted = io.pgbluegreen.postgres.Lsn.parse(lsn).bytes();
        io.pgbluegreen.fixture.Await.until(WAIT, "caught up past " + lsn, () -> {
            var samples = daemon.scrape();
            double blueLsn = value(samples, "pgbg_current_wal_lsn_bytes", "target", "blue");
            double lag = value(samples, "pgbg_deployment_lag_bytes", "deployment", "upgrade");
            return blueLsn >= wanted && lag == 0;
        });
    }

    private static double value(java.util.List<io.pgbluegreen.support.PromText.Sample> samples, String name, String key, String value) {
        return samples.stream().filter(s -> s.matches(name, java.util.Map.of(key, value)))
                .mapToDouble(io.pgbluegreen.support.PromText.Sample::value).findFirst().orElse(Double.NaN);
    }

    private static String[] with(String[] labels, String... more) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
