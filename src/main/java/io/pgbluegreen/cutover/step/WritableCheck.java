package io.pgbluegreen.cutover.step;

import io.pgbluegreen.target.TargetSession;

import java.sql.SQLException;

/** Proves a server takes writes: a read-write transaction that gets a transaction id, and commits. */
final class WritableCheck {
    private WritableCheck() {
    }

    static long prove(TargetSession session) throws SQLException {
        var jdbc = session.jdbc();
        try (var statement = jdbc.createStatement()) {
            statement.execute("BEGIN READ WRITE");
            try (var rows = statement.executeQuery("SELECT txid_current()")) {
                rows.next();
                long xid = rows.getLong(1);
                statement.execute("COMMIT");
                return xid;
            } catch (SQLException e) {
                statement.execute("ROLLBACK");
                throw e;
            }
        }
    }
}
