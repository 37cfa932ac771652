package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/** Publication names of the connected database (one without tables has no row in pg_publication_tables). */
@Serdeable
public record Publications(Set<String> names) {
    public static final String SQL = "SELECT pubname FROM pg_publication ORDER BY 1";

    public static final ViewQuery<Publications> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public Publications read(ResultSet rows) throws SQLException {
            Set<String> names = new TreeSet<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return new Publications(names);
        }
    };
}
