package io.pgbluegreen.metrics;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.StandbyReplication;
import io.pgbluegreen.postgres.Lsn;

import java.util.HashSet;
import java.util.Set;

import static io.pgbluegreen.metrics.MetricDef.gauge;

/**
 * The names existing postgres_exporter dashboards read, fed from the same samples (option
 * {@code pg-bluegreen.metrics.compat-postgres-exporter}). A {@code target} label is added because one daemon
 * watches many servers; pg_replication_lag_seconds uses our standby lag, which is 0 on an idle caught-up standby.
 */
final class CompatSeries {
    static final MetricDef PG_UP = gauge("pg_up", "postgres_exporter compatible: 1 when the target answered", "target");
    static final MetricDef IS_REPLICA = gauge("pg_replication_is_replica",
            "postgres_exporter compatible: 1 when in recovery", "target");
    static final MetricDef LAG_SECONDS = gauge("pg_replication_lag_seconds",
            "postgres_exporter compatible: replay lag of a standby in seconds", "target");
    static final MetricDef WAL_LSN_DIFF = gauge("pg_stat_replication_pg_wal_lsn_diff",
            "postgres_exporter compatible: current WAL position minus the standby's replay_lsn", "target", "application_name");
    static final MetricDef SLOT_LSN_DIFF = gauge("pg_replication_slots_pg_wal_lsn_diff",
            "postgres_exporter compatible: current WAL position minus the slot's restart_lsn", "target", "slot_name");
    static final MetricDef SLOT_ACTIVE = gauge("pg_replication_slots_active",
            "postgres_exporter compatible: 1 when the slot is active", "target", "slot_name");

    private CompatSeries() {
    }

    static void add(SeriesList out, TargetState state) {
        String t = state.target();
        out.flag(PG_UP, state.up(), t);
        TargetSample sample = state.currentSample();
        if (sample == null) {
            return;
        }
        out.flag(IS_REPLICA, sample.server().inRecovery(), t);
        if (sample.server().inRecovery()) {
            out.add(LAG_SECONDS, sample.replayLagSeconds(), t);
        }
        Set<String> seen = new HashSet<>();
        for (StandbyReplication r : sample.replication()) {
            if (seen.add(r.applicationName())) {
                out.add(WAL_LSN_DIFF, Lsn.distance(sample.walEnd(), r.replayLsn()), t, r.applicationName());
            }
        }
        for (ReplicationSlot slot : sample.slots()) {
            out.add(SLOT_LSN_DIFF, Lsn.distance(sample.walEnd(), slot.restartLsn()), t, slot.name());
            out.flag(SLOT_ACTIVE, slot.active(), t, slot.name());
        }
    }
}
