package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table a subscription of the connected database applies (pg_subscription_rel) and its state: the apply worker
 * skips changes of a published table that has no entry here, so such a table silently stays behind.
 */
@Serdeable
public record SubscribedTable(String subscription, String table, String state) {

    public static final String SQL = """
            SELECT s.subname, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table_name,
                   r.srsubstate::text AS state
              FROM pg_subscription_rel r
              JOIN pg_subscription s ON s.oid = r.srsubid
              JOIN pg_class c ON c.oid = r.srrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY 1, 2""";

    public static final ViewQuery<List<SubscribedTable>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public List<SubscribedTable> read(ResultSet rows) throws SQLException {
            List<SubscribedTable> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(new SubscribedTable(rows.getString("subname"), rows.getString("table_name"), rows.getString("state")));
            }
            return tables;
        }
    };

    public boolean ready() {
        return "r".equals(state);
    }

    /** The state in words, as pg_subscription_rel's documentation names them. */
    public String stateName() {
        return switch (state) {
            case "i" -> "initializing";
            case "d" -> "copying data";
            case "f" -> "finished copy";
            case "s" -> "synchronized";
            case "r" -> "ready";
            default -> "state " + state;
        };
    }
}
