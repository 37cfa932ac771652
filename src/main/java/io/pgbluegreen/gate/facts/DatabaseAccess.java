package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The daemon's role and the databases of a server: whether it may create in the one it connects to (schema pgbg
 * if missing, a reverse subscription), and the databases it may not connect to although they take connections
 * (the post-checks, and a rollback's audit, read the statistics of every one). Names quoted for SQL.
 */
@Serdeable
public record DatabaseAccess(String database, boolean create, List<String> withoutConnect) {

    public static final String SQL = """
            SELECT quote_ident(current_database()) AS database,
                   has_database_privilege(current_database(), 'CREATE') AS create_here,
                   ARRAY(SELECT quote_ident(datname) FROM pg_database
                          WHERE datallowconn AND NOT has_database_privilege(oid, 'CONNECT') ORDER BY 1) AS without_connect""";

    public static final ViewQuery<DatabaseAccess> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public DatabaseAccess read(ResultSet rows) throws SQLException {
            rows.next();
            return new DatabaseAccess(rows.getString("database"), rows.getBoolean("create_here"),
                    FactRows.texts(rows, "without_connect"));
        }
    };
}
