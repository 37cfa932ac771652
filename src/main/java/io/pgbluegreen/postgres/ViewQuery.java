package io.pgbluegreen.postgres;


import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One PostgreSQL view family: the SQL to send for a server version and how to read its rows. All families of a
 * tick go to the server in one batch (one round trip), so each SQL must be valid on primaries and standbys alike.
 */
public interface ViewQuery<T> {
    String sql(ServerVersion version);

    T read(ResultSet rows) throws SQLException;
}
