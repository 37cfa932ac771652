package io.pgbluegreen.gate.facts;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.postgres.ViewBatch;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ErrorClass;
import io.pgbluegreen.postgres.TargetConnection;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks into the server's databases other than the watched one, each on a short-lived connection with the target's
 * own credentials and timeouts, one round trip per database. A database that cannot be read is reported with the
 * reason (the gate must not take "could not look" for "empty"); one dropped since it was listed is skipped.
 */
public final class OtherDatabases {
    private static final List<ViewQuery<?>> QUERIES = List.of(UserTable.QUERY, LargeObjects.QUERY);
    private static final String DATABASE_MISSING = "3D000";

    private OtherDatabases() {
    }

    public static List<DatabaseContents> scan(TargetConfig target, SamplingConfig sampling, List<String> databases) {
        List<DatabaseContents> contents = new ArrayList<>();
        for (String database : databases) {
            TargetConfig other = target.inDatabase(database);
            try (TargetConnection session = new TargetConnection(other, sampling)) {
                var connection = session.get();
                Object[] parts = ViewBatch.run(connection, QUERIES, ViewBatch.sql(QUERIES, session.version()));
                @SuppressWarnings("unchecked")
                List<UserTable> tables = (List<UserTable>) parts[0];
                contents.add(new DatabaseContents(database, tables, ((LargeObjects) parts[1]).count(), null));
            } catch (SQLException e) {
                if (!DATABASE_MISSING.equals(e.getSQLState())) {
                    contents.add(DatabaseContents.unreadable(database, ErrorClass.of(e).label() + ": " + e.getMessage()));
                }
            } catch (RuntimeException e) {
                contents.add(DatabaseContents.unreadable(database, ErrorClass.of(e).label() + ": " + e.getMessage()));
            }
        }
        return contents;
    }
}
