package io.pgbluegreen.cutover;

import io.pgbluegreen.gate.facts.TableColumns;
import io.pgbluegreen.target.TargetSession;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Before a rollback fences green to carry its writes back to blue: does the way back work? Blue's reverse
 * subscription must be enabled with its apply worker running and no apply or sync error (15+), and every table green
 * publishes to it must have the same columns on blue (DDL on green after the cutover stops the apply). A rollback
 * that fenced green and then found the way back broken would leave both sides unwritable.
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
    public static String problem(TargetSession blue, TargetSession green, String reverse) throws SQLException {
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
        return drift.isEmpty() ? null : "green's tables differ from blue's, so blue cannot apply green's changes: "
                + String.join("; ", drift.subList(0, Math.min(5, drift.size())));
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
