package io.pgbluegreen.gate.facts;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.sampling.view.ViewBatch;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;
import io.pgbluegreen.target.TargetConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Asks one side, on a short-lived connection of its own (never the sampler's), the facts the gate needs beyond
 * monitoring, in one round trip. Bounded by the same connect, socket and statement timeouts as sampling.
 */
public final class FactsCollector {
    private FactsCollector() {
    }

    private static final List<ViewQuery<?>> QUERIES = List.of(RoleFacts.QUERY, ServerSettings.QUERY, Publications.QUERY,
            PublishedTable.QUERY, TableColumns.QUERY, Sequences.QUERY, SubscriptionInfo.QUERY, ClusterRole.QUERY,
            WriterProcesses.QUERY, DatabaseAccess.QUERY, MarkerAccess.QUERY, TableAccess.QUERY);

    /** All facts in one multi-statement batch: one round trip after the connection is set up. */
    @SuppressWarnings("unchecked")
    public static SideFacts collect(TargetConfig target, SamplingConfig sampling) throws SQLException {
        try (TargetConnection session = new TargetConnection(target, sampling)) {
            Connection connection = session.get();
            ServerVersion version = session.version();
            Object[] parts = ViewBatch.run(connection, QUERIES, ViewBatch.sql(QUERIES, version));
            return new SideFacts((RoleFacts) parts[0], (ServerSettings) parts[1], (Publications) parts[2],
                    (List<PublishedTable>) parts[3], (TableColumns) parts[4], (Sequences) parts[5],
                    (List<SubscriptionInfo>) parts[6], (List<ClusterRole>) parts[7], (WriterProcesses) parts[8],
                    (DatabaseAccess) parts[9], (MarkerAccess) parts[10], (TableAccess) parts[11]);
        }
    }
}
