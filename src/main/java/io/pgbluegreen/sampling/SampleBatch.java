package io.pgbluegreen.sampling;

import io.pgbluegreen.sampling.view.Activity;
import io.pgbluegreen.sampling.view.Recovery;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.ServerStatus;
import io.pgbluegreen.sampling.view.StandbyReplication;
import io.pgbluegreen.sampling.view.Subscription;
import io.pgbluegreen.sampling.view.WalReceiver;
import io.pgbluegreen.target.ServerVersion;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * All view families of one tick as one multi-statement batch: pgjdbc sends the statements together and reads
 * all results after a single Sync, so a tick costs one network round trip whatever the number of views.
 * The order of {@link #FAMILIES} is the order of the result sets.
 */
final class SampleBatch {
    static final List<io.pgbluegreen.sampling.view.ViewQuery<?>> FAMILIES = List.of(ServerStatus.QUERY, Activity.QUERY,
            StandbyReplication.QUERY, ReplicationSlot.QUERY, WalReceiver.QUERY, Recovery.QUERY, Subscription.QUERY);

    /** What the batch read, before the sampler adds what needs history. */
    record Result(ServerStatus server, Activity activity, List<StandbyReplication> replication,
                  List<ReplicationSlot> slots, WalReceiver walReceiver, Recovery recovery,
                  List<Subscription> subscriptions) {
    }

    private SampleBatch() {
    }

    static String sql(ServerVersion version) {
        return FAMILIES.stream().map(f -> f.sql(version)).collect(Collectors.joining(";\n"));
    }

    @SuppressWarnings("unchecked")
    static Result run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                throw new SQLException("sample batch returned no rows");
            }
            Object[] parts = new Object[FAMILIES.size()];
            for (int i = 0; i < FAMILIES.size(); i++) {
                if (i > 0 && !statement.getMoreResults()) {
                    throw new SQLException("sample batch ended after " + i + " of " + FAMILIES.size() + " results");
                }
                try (var rows = statement.getResultSet()) {
                    parts[i] = FAMILIES.get(i).read(rows);
                }
            }
            return new Result((ServerStatus) parts[0], (Activity) parts[1], (List<StandbyReplication>) parts[2],
                    (List<ReplicationSlot>) parts[3], (WalReceiver) parts[4], (Recovery) parts[5],
                    (List<Subscription>) parts[6]);
        }
    }
}
