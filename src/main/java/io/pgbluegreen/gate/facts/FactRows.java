package io.pgbluegreen.gate.facts;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads a text[] column as a list (empty for NULL): names may hold commas, so they travel as arrays. */
final class FactRows {
    private FactRows() {
    }

    static List<String> texts(ResultSet rows, String column) throws SQLException {
        Array array = rows.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
