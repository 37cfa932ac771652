package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The database the connection watches and the server's other databases that accept connections (template0 does
 * not; one whose DROP was interrupted, datconnlimit -2, cannot be entered and holds nothing to keep). template1
 * and postgres count like any other: they are normally empty, and a table in them would be left behind too.
 */
@Serdeable
public record Databases(String current, List<String> others) {

    public static final String SQL = """
            SELECT datname, datname = current_database() AS current
              FROM pg_database
             WHERE datallowconn AND datconnlimit <> -2 OR datname = current_database()
             ORDER BY 1""";

    public static final ViewQuery<Databases> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public Databases read(ResultSet rows) throws SQLException {
            String current = null;
            List<String> others = new ArrayList<>();
            while (rows.next()) {
                if (rows.getBoolean("current")) {
                    current = rows.getString("datname");
                } else {
                    others.add(rows.getString("datname"));
                }
            }
            return new Databases(current, others);
        }
    };
}
