package io.pgbluegreen.gate.facts;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;
import io.pgbluegreen.target.TargetConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Asks one side, on a short-lived connection of its own (never the sampler's), the facts the gate needs beyond
 * monitoring, in one round trip. Bounded by the same connect, socket and statement timeouts as sampling.
 */
public final class FactsCollector {
    private FactsCollector() {
    }

    private static final List<ViewQuery<?>> QUERIES = List.of(RoleFacts.QUERY, ServerSettings.QUERY, Publications.QUERY,
            PublishedTable.QUERY, TableColumns.QUERY, Sequences.QUERY, SubscriptionInfo.QUERY);

    /** All facts in one multi-statement batch: one round trip after the connection is set up. */
    @SuppressWarnings("unchecked")
    public static SideFacts collect(TargetConfig target, SamplingConfig sampling) throws SQLException {
        try (TargetConnection session = new TargetConnection(target, sampling)) {
            Connection connection = session.get();
            ServerVersion version = session.version();
            String sql = QUERIES.stream().map(q -> q.sql(version)).collect(Collectors.joining(";\n"));
            Object[] parts = new Object[QUERIES.size()];
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                for (int i = 0; i < QUERIES.size(); i++) {
                    if (i > 0 && !statement.getMoreResults()) {
                        throw new SQLException("facts batch ended after " + i + " of " + QUERIES.size() + " results");
                    }
                    try (var rows = statement.getResultSet()) {
                        parts[i] = QUERIES.get(i).read(rows);
                    }
                }
            }
            return new SideFacts((RoleFacts) parts[0], (ServerSettings) parts[1], (Publications) parts[2],
                    (List<PublishedTable>) parts[3], (TableColumns) parts[4], (Sequences) parts[5],
                    (List<SubscriptionInfo>) parts[6]);
        }
    }
}
