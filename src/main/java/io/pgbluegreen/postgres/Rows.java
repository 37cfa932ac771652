package io.pgbluegreen.postgres;


import java.sql.ResultSet;
import java.sql.SQLException;

/** Null-preserving column readers: a NULL in a view means "not known", which is not the same as 0. */
public final class Rows {
    private Rows() {
    }

    public static Double doubleOrNull(ResultSet rows, String column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    public static Long longOrNull(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    public static Integer intOrNull(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    public static Lsn lsn(ResultSet rows, String column) throws SQLException {
        return Lsn.parse(rows.getString(column));
    }
}
