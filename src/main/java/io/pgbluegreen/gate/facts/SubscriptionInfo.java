package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A subscription of the connected database: the publications it follows and whether we own it. */
@Serdeable
public record SubscriptionInfo(String name, List<String> publications, boolean ownedByCurrentUser) {

    public static final String SQL = """
            SELECT s.subname, array_to_string(s.subpublications, ',') AS publications,
                   s.subowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS owned
              FROM pg_subscription s
             WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY 1""";

    public static final ViewQuery<List<SubscriptionInfo>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public List<SubscriptionInfo> read(ResultSet rows) throws SQLException {
            List<SubscriptionInfo> subscriptions = new ArrayList<>();
            while (rows.next()) {
                String pubs = rows.getString("publications");
                subscriptions.add(new SubscriptionInfo(rows.getString("subname"),
                        pubs == null || pubs.isEmpty() ? List.of() : Arrays.asList(pubs.split(",")), rows.getBoolean("owned")));
            }
            return subscriptions;
        }
    };
}
