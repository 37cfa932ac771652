package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/** How many large objects the connected database holds: logical replication does not carry them. */
@Serdeable
public record LargeObjects(long count) {

    public static final String SQL = "SELECT count(*) AS large_objects FROM pg_largeobject_metadata";

    public static final ViewQuery<LargeObjects> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public LargeObjects read(ResultSet rows) throws SQLException {
            rows.next();
            return new LargeObjects(rows.getLong("large_objects"));
        }
    };
}
