package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Publications of the connected database (one without tables has no row in pg_publication_tables): which publish
 * all tables, which the daemon's role owns (ALTER PUBLICATION ... ADD TABLE takes the owner), and which already
 * publish the cutover marker (pgbg.cutover_marker).
 */
@Serdeable
public record Publications(Set<String> names, Set<String> forAllTables, Set<String> ours, Set<String> withMarker) {
    public static final String SQL = """
            SELECT p.pubname, p.puballtables, p.pubowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS ours,
                   EXISTS (SELECT 1 FROM pg_publication_tables t
                            WHERE t.pubname = p.pubname AND t.schemaname = 'pgbg' AND t.tablename = 'cutover_marker')
                       AS with_marker
              FROM pg_publication p ORDER BY 1""";

    public static final ViewQuery<Publications> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public Publications read(ResultSet rows) throws SQLException {
            Set<String> names = new TreeSet<>();
            Set<String> all = new TreeSet<>();
            Set<String> ours = new TreeSet<>();
            Set<String> marker = new TreeSet<>();
            while (rows.next()) {
                String name = rows.getString("pubname");
                names.add(name);
                if (rows.getBoolean("puballtables")) {
                    all.add(name);
                }
                if (rows.getBoolean("ours")) {
                    ours.add(name);
                }
                if (rows.getBoolean("with_marker")) {
                    marker.add(name);
                }
            }
            return new Publications(names, all, ours, marker);
        }
    };
}
