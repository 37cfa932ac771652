package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription anywhere on the server (pg_subscription is shared by all databases) and whether it is enabled:
 * one that keeps applying after the switch writes into green behind the applications' backs.
 */
@Serdeable
public record ClusterSubscription(String name, String database, boolean enabled) {

    public static final String SQL = """
            SELECT s.subname, d.datname, s.subenabled
              FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid
             ORDER BY 2, 1""";

    public static final ViewQuery<List<ClusterSubscription>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public List<ClusterSubscription> read(ResultSet rows) throws SQLException {
            List<ClusterSubscription> subscriptions = new ArrayList<>();
            while (rows.next()) {
                subscriptions.add(new ClusterSubscription(rows.getString("subname"), rows.getString("datname"),
                        rows.getBoolean("subenabled")));
            }
            return subscriptions;
        }
    };
}
