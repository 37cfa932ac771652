package io.pgbluegreen.gate.facts;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.postgres.ViewBatch;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;
import io.pgbluegreen.postgres.TargetConnection;

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
            PublishedTable.QUERY, TableColumns.QUERY, Sequences.QUERY, SubscriptionInfo.QUERY, UserTable.QUERY,
            PublicationSettings.QUERY, PublishedTableFilter.QUERY, LargeObjects.QUERY, SubscribedTable.QUERY,
            ClusterSubscription.QUERY, Databases.QUERY, ClusterRole.QUERY, WriterProcesses.QUERY, DatabaseAccess.QUERY,
            MarkerAccess.QUERY, TableAccess.QUERY);

    /**
     * All facts in one multi-statement batch: one round trip after the connection is set up. With
     * {@code otherDatabases}, then one more connection and round trip per other database of the server.
     */
    @SuppressWarnings("unchecked")
    public static SideFacts collect(TargetConfig target, SamplingConfig sampling, boolean otherDatabases) throws SQLException {
        Object[] parts;
        try (TargetConnection session = new TargetConnection(target, sampling)) {
            Connection connection = session.get();
            ServerVersion version = session.version();
            parts = ViewBatch.run(connection, QUERIES, ViewBatch.sql(QUERIES, version));
        }
        Databases databases = (Databases) parts[13];
        return new SideFacts((RoleFacts) parts[0], (ServerSettings) parts[1], (Publications) parts[2],
                (List<PublishedTable>) parts[3], (TableColumns) parts[4], (Sequences) parts[5],
                (List<SubscriptionInfo>) parts[6], (List<UserTable>) parts[7], (List<PublicationSettings>) parts[8],
                (List<PublishedTableFilter>) parts[9], (LargeObjects) parts[10], (List<SubscribedTable>) parts[11],
                (List<ClusterSubscription>) parts[12], databases,
                otherDatabases ? OtherDatabases.scan(target, sampling, databases.others()) : null,
                (List<ClusterRole>) parts[14], (WriterProcesses) parts[15], (DatabaseAccess) parts[16],
                (MarkerAccess) parts[17], (TableAccess) parts[18]);
    }
}
