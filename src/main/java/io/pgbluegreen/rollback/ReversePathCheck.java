package io.pgbluegreen.rollback;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.gate.facts.DatabaseContents;
import io.pgbluegreen.gate.facts.Databases;
import io.pgbluegreen.gate.facts.LargeObjects;
import io.pgbluegreen.gate.facts.OtherDatabases;
import io.pgbluegreen.gate.facts.TableColumns;
import io.pgbluegreen.gate.facts.UserTable;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Before a rollback carries green's writes back to blue: does the way back work, and does it carry everything green
 * may have written? Blue's reverse subscription must be enabled with its apply worker running and no apply or sync
 * error (15+), and every table green publishes to it must have the same columns on blue (DDL on green after the
 * cutover stops the apply). Reverse replication carries the logged tables of one database: a large object or an
 * unlogged table in it, or a table or large object in another database of green, would be left behind (green's
 * transaction ids do not say which database a write went to).
 */
public final class ReversePathCheck {
    static final String STATE = """
            SELECT s.subenabled, EXISTS (SELECT 1 FROM pg_stat_subscription w WHERE w.subid = s.oid AND w.relid IS NULL
                                              AND w.pid IS NOT NULL) AS running
              FROM pg_subscription s WHERE s.subname = ?""";
    static final String ERRORS_15 = """
            SELECT coalesce(sum(apply_error_count + sync_error_count), 0) FROM pg_stat_subscription_stats WHERE subname = ?""";

    private ReversePathCheck() {
    }

    /** Why the way back does not work, or null when it does. */
    public static String problem(TargetSession blue, TargetSession green, TargetConfig greenTarget, SamplingConfig sampling,
                                 String reverse) throws SQLException {
        List<String> state = blue.queryRow(STATE, reverse);
        if (state == null) {
            return "blue has no reverse subscription " + reverse;
        }
        if (!"t".equals(state.get(0))) {
            return "blue's reverse subscription " + reverse + " is disabled";
        }
        if (!"t".equals(state.get(1))) {
            return "the apply worker of blue's reverse subscription " + reverse + " is not running (see blue's log)";
        }
        if (blue.version().atLeast(15) && blue.queryLong(ERRORS_15, reverse) > 0) {
            return "blue's reverse subscription " + reverse + " hit apply or sync errors (pg_stat_subscription_stats,"
                    + " blue's log)";
        }
        List<String> drift = drift(columns(green), columns(blue));
        if (!drift.isEmpty()) {
            return "green's tables differ from blue's, so blue cannot apply green's changes: "
                    + String.join("; ", drift.subList(0, Math.min(5, drift.size())));
        }
        return leftBehind(green, greenTarget, sampling);
    }

    /** What green holds that reverse replication would not carry to blue (null: nothing). */
    private static String leftBehind(TargetSession green, TargetConfig greenTarget, SamplingConfig sampling)
            throws SQLException {
        long largeObjects = green.queryLong(LargeObjects.SQL);
        if (largeObjects > 0) {
            return "green's database holds " + largeObjects + " large object(s), which reverse replication does not carry";
        }
        List<String> unlogged = new ArrayList<>();
        try (var statement = green.jdbc().createStatement(); ResultSet rows = statement.executeQuery(UserTable.SQL)) {
            UserTable.QUERY.read(rows).stream().filter(UserTable::unlogged).forEach(t -> unlogged.add(t.qualified()));
        }
        if (!unlogged.isEmpty()) {
            return "green has unlogged table(s) " + unlogged + ", which reverse replication does not carry";
        }
        List<String> others;
        try (var statement = green.jdbc().createStatement(); ResultSet rows = statement.executeQuery(Databases.SQL)) {
            others = Databases.QUERY.read(rows).others();
        }
        for (DatabaseContents db : OtherDatabases.scan(greenTarget, sampling, others)) {
            if (!db.readable()) {
                return "cannot tell whether green's database " + db.database() + " took writes: " + db.error();
            }
            if (!db.tables().isEmpty() || db.largeObjects() > 0) {
                return "green's database " + db.database() + " holds tables or large objects that reverse replication"
                        + " (of one database) would leave behind";
            }
        }
        return null;
    }

    private static Map<String, Map<String, String>> columns(TargetSession side) throws SQLException {
        try (var statement = side.jdbc().createStatement(); ResultSet rows = statement.executeQuery(TableColumns.SQL)) {
            return TableColumns.QUERY.read(rows).columnsByTable();
        }
    }

    private static List<String> drift(Map<String, Map<String, String>> green, Map<String, Map<String, String>> blue) {
        List<String> drift = new ArrayList<>();
        green.forEach((table, columns) -> {
            if (!blue.containsKey(table)) {
                drift.add(table + " is missing on blue");
            } else if (!Objects.equals(columns, blue.get(table))) {
                drift.add(table + ": green " + columns + ", blue " + blue.get(table));
            }
        });
        return drift;
    }
}
