package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/** The sequences of the database (logical replication does not carry their values; the cutover copies them). */
@Serdeable
public record Sequences(Set<String> names) {

    public static final String SQL = """
            SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) AS name FROM pg_sequences ORDER BY 1""";

    public static final ViewQuery<Sequences> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public Sequences read(ResultSet rows) throws SQLException {
            Set<String> names = new TreeSet<>();
            while (rows.next()) {
                names.add(rows.getString("name"));
            }
            return new Sequences(names);
        }
    };
}
