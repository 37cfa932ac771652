package io.pgbluegreen.sampling;

import io.pgbluegreen.sampling.view.Activity;
import io.pgbluegreen.sampling.view.Recovery;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.ServerStatus;
import io.pgbluegreen.sampling.view.StandbyReplication;
import io.pgbluegreen.sampling.view.Subscription;
import io.pgbluegreen.postgres.ViewBatch;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.sampling.view.WalReceiver;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * All view families of one tick as one {@link ViewBatch}: a tick costs one network round trip whatever the number
 * of views. The order of {@link #FAMILIES} is the order of the result sets.
 */
final class SampleBatch {
    static final List<ViewQuery<?>> FAMILIES = List.of(ServerStatus.QUERY, Activity.QUERY,
            StandbyReplication.QUERY, ReplicationSlot.QUERY, WalReceiver.QUERY, Recovery.QUERY, Subscription.QUERY);

    /** What the batch read, before the sampler adds what needs history. */
    record Result(ServerStatus server, Activity activity, List<StandbyReplication> replication,
                  List<ReplicationSlot> slots, WalReceiver walReceiver, Recovery recovery,
                  List<Subscription> subscriptions) {
    }

    private SampleBatch() {
    }

    static String sql(ServerVersion version) {
        return ViewBatch.sql(FAMILIES, version);
    }

    @SuppressWarnings("unchecked")
    static Result run(Connection connection, String sql) throws SQLException {
        Object[] parts = ViewBatch.run(connection, FAMILIES, sql);
        return new Result((ServerStatus) parts[0], (Activity) parts[1], (List<StandbyReplication>) parts[2],
                (List<ReplicationSlot>) parts[3], (WalReceiver) parts[4], (Recovery) parts[5],
                (List<Subscription>) parts[6]);
    }
}
