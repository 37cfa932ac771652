package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.gate.facts.UserTable;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gate judged blue's tables before anything changed; a table committed after it and before the fence (a
 * migration running alongside) was never judged. No table may have appeared since the gate, and every table blue
 * publishes to the subscription must be ready on green. Checked in full before the fence (prepare_marker), and once
 * blue is quiet only the signature of its tables and publications is compared (one cheap query inside the write
 * pause); if it moved, in full again. Either refuses the cutover before its point of no return: the gate judges the
 * new table on the next try.
 */
final class TablesStillCovered {
    static final String PUBLISHED = """
            SELECT DISTINCT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_publication_tables
             WHERE pubname = ANY(?)""";
    static final String READY_ON_GREEN = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
              FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
              JOIN pg_class c ON c.oid = r.srrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE s.subname = ? AND r.srsubstate = 'r'""";
    /** Changes when a table is created or dropped, or a publication gains or loses a table or a schema. */
    static final String SIGNATURE = """
            SELECT (SELECT count(*) || ':' || coalesce(max(oid)::text, '') FROM pg_class WHERE relkind IN ('r', 'p'))
                   || '|' || (SELECT count(*) || ':' || coalesce(max(oid)::text, '') FROM pg_publication_rel)
                   || '|' || (SELECT count(*) || ':' || coalesce(max(oid)::text, '') FROM pg_publication)""";
    static final String SIGNATURE_15 = SIGNATURE + """
             || '|' || (SELECT count(*) || ':' || coalesce(max(oid)::text, '') FROM pg_publication_namespace)""";
    private static final int MAX_LISTED = 5;

    static String signature(io.pgbluegreen.postgres.TargetSession blue) throws java.sql.SQLException {
        return blue.queryString(blue.version().atLeast(15) ? SIGNATURE_15 : SIGNATURE);
    }

    private TablesStillCovered() {
    }

    /** Two round trips inside the write pause: blue's tables and what it publishes in one batch, then green's. */
    static void verify(OperationContext context, List<String> publications) throws Exception {
        var blue = context.blue();
        List<String> problems = new ArrayList<>();
        Set<String> tables = new TreeSet<>();
        Set<String> unapplied = new TreeSet<>();
        String published = PUBLISHED.replace("?", "ARRAY[" + String.join(", ", publications.stream().map(Sql::literal).toList())
                + "]::text[]");
        try (var statement = blue.jdbc().createStatement()) {
            statement.execute(UserTable.SQL + ";\n" + published);
            try (ResultSet rows = statement.getResultSet()) {
                UserTable.QUERY.read(rows).forEach(t -> tables.add(t.qualified()));
            }
            statement.getMoreResults();
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    unapplied.add(rows.getString(1));
                }
            }
        }
        if (context.tablesAtGate() != null) {
            tables.removeAll(context.tablesAtGate());
            if (!tables.isEmpty()) {
                problems.add("table(s) " + listed(tables) + " appeared on blue after the gate passed");
            }
        }
        unapplied.removeAll(context.green().queryList(READY_ON_GREEN, context.deployment().subscription()));
        if (!unapplied.isEmpty()) {
            problems.add("table(s) " + listed(unapplied) + " published to the subscription but not ready on green");
        }
        if (!problems.isEmpty()) {
            throw new StepFailure(String.join("; ", problems) + ": their rows would not reach green; run the cutover"
                    + " again once the gate passes");
        }
    }

    private static String listed(Set<String> tables) {
        List<String> all = new ArrayList<>(tables);
        String head = String.join(", ", all.subList(0, Math.min(MAX_LISTED, all.size())));
        return all.size() > MAX_LISTED ? head + " and " + (all.size() - MAX_LISTED) + " more" : head;
    }
}
