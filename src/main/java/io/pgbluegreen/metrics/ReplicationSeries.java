package io.pgbluegreen.metrics;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.StandbyReplication;
import io.pgbluegreen.postgres.Lsn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/**
 * pg_stat_replication per application_name. Two walsenders with one name (a standby and a base backup, say) would
 * collide on the labels: the streaming one (first by the query's order) wins.
 */
final class ReplicationSeries {
    static final List<String> STATES = List.of("startup", "catchup", "streaming", "backup", "stopping");

    private ReplicationSeries() {
    }

    static void add(SeriesList out, String target, TargetSample sample) {
        Lsn end = sample.walEnd();
        Set<String> seen = new HashSet<>();
        for (StandbyReplication r : sample.replication()) {
            String app = r.applicationName();
            if (!seen.add(app)) {
                continue;
            }
            out.stateSet(REPLICATION_STATE, STATES, r.state(), target, app);
            out.add(REPLICATION_INFO, 1, target, app, r.clientAddr(), String.valueOf(r.pid()), r.syncState());
            out.add(REPLICATION_SENT_LAG, Lsn.distance(end, r.sentLsn()), target, app);
            out.add(REPLICATION_WRITE_LAG, Lsn.distance(end, r.writeLsn()), target, app);
            out.add(REPLICATION_FLUSH_LAG, Lsn.distance(end, r.flushLsn()), target, app);
            Long replayDistance = Lsn.distance(end, r.replayLsn());
            out.add(REPLICATION_REPLAY_LAG, replayDistance, target, app);
            boolean caughtUp = replayDistance != null && replayDistance == 0;
            out.add(REPLICATION_WRITE_LAG_SECONDS, seconds(r.writeLagSeconds(), caughtUp), target, app);
            out.add(REPLICATION_FLUSH_LAG_SECONDS, seconds(r.flushLagSeconds(), caughtUp), target, app);
            out.add(REPLICATION_REPLAY_LAG_SECONDS, seconds(r.replayLagSeconds(), caughtUp), target, app);
            out.add(REPLICATION_REPLY_AGE, r.replyAgeSeconds(), target, app);
        }
    }

    /** PostgreSQL reports NULL lag for a caught-up idle standby: that is 0; NULL while behind stays unknown. */
    private static Double seconds(Double reported, boolean caughtUp) {
        return reported != null ? reported : caughtUp ? 0.0 : null;
    }
}
