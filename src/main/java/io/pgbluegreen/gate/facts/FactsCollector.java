package io.pgbluegreen.gate.facts;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;
import io.pgbluegreen.target.TargetConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Asks one side, on a short-lived connection of its own (never the sampler's), the facts the gate needs beyond
 * monitoring. Bounded by the same connect, socket and statement timeouts as sampling.
 */
public final class FactsCollector {
    private FactsCollector() {
    }

    public static SideFacts collect(TargetConfig target, SamplingConfig sampling) throws SQLException {
        try (TargetConnection session = new TargetConnection(target, sampling)) {
            Connection connection = session.get();
            ServerVersion version = session.version();
            return new SideFacts(run(connection, version, RoleFacts.QUERY), run(connection, version, ServerSettings.QUERY),
                    run(connection, version, Publications.QUERY),
                    run(connection, version, PublishedTable.QUERY), run(connection, version, TableColumns.QUERY),
                    run(connection, version, Sequences.QUERY), run(connection, version, SubscriptionInfo.QUERY));
        }
    }

    private static <T> T run(Connection connection, ServerVersion version, ViewQuery<T> query) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery(query.sql(version))) {
            return query.read(rows);
        }
    }
}
