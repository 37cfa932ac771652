package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.DatabaseContents;
import io.pgbluegreen.gate.facts.UserTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Data the move does not carry at all: unlogged tables (neither WAL nor logical replication carries their rows),
 * large objects, other databases (a logical deployment moves one), and exclude-tables entries that name nothing.
 */
final class LeftBehindChecks {
    private LeftBehindChecks() {
    }

    /**
     * Logical: blue's watched database (tables in other databases are other_databases_empty's). Physical: every
     * database, since a promoted standby has each unlogged table empty.
     */
    static CheckResult tablesLogged(TableScope s, boolean allDatabases) {
        String name = "tables_logged";
        String missing = s.missing(false, false);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        List<String> unlogged = new ArrayList<>();
        Set<String> excluded = new TreeSet<>();
        for (UserTable table : s.tables.tables()) {
            if (table.unlogged()) {
                (s.exclusions.excludes(null, s.tables, table) ? excluded : unlogged).add(table.qualified());
            }
        }
        List<String> unreadable = new ArrayList<>();
        if (allDatabases) {
            if (s.blue.otherDatabases() == null) {
                unreadable.add("other databases (not read)");
            } else {
                for (DatabaseContents db : s.blue.otherDatabases()) {
                    if (!db.readable()) {
                        unreadable.add(db.database() + " (" + db.error() + ")");
                        continue;
                    }
                    TableTree tree = new TableTree(db.tables());
                    for (UserTable table : db.tables()) {
                        if (table.unlogged()) {
                            String qualified = db.database() + "." + table.qualified();
                            (s.exclusions.excludes(db.database(), tree, table) ? excluded : unlogged).add(qualified);
                        }
                    }
                }
            }
        }
        String why = allDatabases ? "a promoted standby has them empty" : "logical replication does not carry their rows";
        if (unlogged.isEmpty() && !unreadable.isEmpty()) {
            return CheckResult.unknown(name, "cannot look for unlogged tables in " + TableNames.listed(unreadable));
        }
        return CheckResult.of(name, unlogged.isEmpty(), unlogged.isEmpty() ? "none" : TableNames.listed(unlogged),
                "no unlogged table", "blue has no unlogged table" + TableNames.excludedNote(excluded),
                unlogged.size() + " unlogged table(s) on blue, whose rows green would not have (" + why + "): "
                        + TableNames.listed(unlogged) + "; ALTER TABLE ... SET LOGGED, or list them in exclude-tables if "
                        + "leaving their rows behind is meant"
                        + (unreadable.isEmpty() ? "" : "; could not look in " + TableNames.listed(unreadable))
                        + TableNames.excludedNote(excluded));
    }

    static CheckResult noLargeObjects(TableScope s) {
        String name = "no_large_objects";
        String missing = s.missing(false, false);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        long count = s.blue.largeObjects().count();
        return CheckResult.of(name, count == 0, count, 0, "blue has no large object",
                "blue holds " + count + " large object(s) (pg_largeobject_metadata), which logical replication does not "
                        + "carry: move them into bytea columns, or copy them to green yourself (pg_dump --large-objects) "
                        + "and override this check");
    }

    /** A logical deployment moves one database: user tables or large objects in any other one would stay on blue. */
    static CheckResult otherDatabasesEmpty(TableScope s) {
        String name = "other_databases_empty";
        String missing = s.missing(false, false);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        if (s.blue.otherDatabases() == null) {
            return CheckResult.unknown(name, "blue's other databases were not read");
        }
        List<String> leftBehind = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Set<String> excluded = new TreeSet<>();
        for (DatabaseContents db : s.blue.otherDatabases()) {
            if (!db.readable()) {
                unreadable.add(db.database() + " (" + db.error() + ")");
                continue;
            }
            TableTree tree = new TableTree(db.tables());
            for (UserTable table : db.tables()) {
                if (table.partitioned()) {
                    continue; // its partitions hold the rows and are named themselves
                }
                String qualified = db.database() + "." + table.qualified();
                (s.exclusions.excludes(db.database(), tree, table) ? excluded : leftBehind).add(qualified);
            }
            if (db.largeObjects() > 0) {
                leftBehind.add(db.database() + ": " + db.largeObjects() + " large object(s)");
            }
        }
        String watched = s.blue.databases().current();
        List<String> read = s.blue.otherDatabases().stream().filter(DatabaseContents::readable).map(DatabaseContents::database).toList();
        if (leftBehind.isEmpty() && !unreadable.isEmpty()) {
            return CheckResult.unknown(name, "cannot look into blue's database(s) " + TableNames.listed(unreadable)
                    + ": whatever they hold would stay behind; let the daemon's role connect to them");
        }
        return CheckResult.of(name, leftBehind.isEmpty(), leftBehind.isEmpty() ? read.size() + " database(s) empty" : TableNames.listed(leftBehind),
                "no user table or large object outside " + watched,
                "blue's other databases (" + String.join(", ", read) + ") hold no user table or large object"
                        + TableNames.excludedNote(excluded),
                "other databases of blue hold " + leftBehind.size() + " table(s) or large object set(s) this deployment "
                        + "does not move (it moves " + watched + " only): " + TableNames.listed(leftBehind)
                        + "; move them another way or drop them, or list the tables in exclude-tables as "
                        + "database.schema.table if leaving them behind is meant"
                        + (unreadable.isEmpty() ? "" : "; could not look into " + TableNames.listed(unreadable))
                        + TableNames.excludedNote(excluded));
    }

    /** An entry that names no table does not do what the operator meant (a typo): refuse until it is fixed. */
    static CheckResult excludedTablesExist(TableScope s) {
        String name = "excluded_tables_exist";
        String missing = s.missing(false, false);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        List<String> entries = s.in.deployment().excludeTables();
        List<String> unmatched = s.exclusions.unmatched(s.blue);
        List<String> undetermined = s.exclusions.undetermined(s.blue);
        if (unmatched.isEmpty() && !undetermined.isEmpty()) {
            return CheckResult.unknown(name, "cannot read the database of exclude-tables entries " + TableNames.listed(undetermined));
        }
        return CheckResult.of(name, unmatched.isEmpty(),
                unmatched.isEmpty() ? entries.size() + " entries, each names a table" : TableNames.listed(unmatched),
                "every exclude-tables entry names a table of blue",
                "every exclude-tables entry names a table of blue (excluded on purpose: " + TableNames.listed(entries) + ")",
                unmatched.size() + " exclude-tables entr" + (unmatched.size() == 1 ? "y names" : "ies name")
                        + " no table of blue: " + TableNames.listed(unmatched) + "; fix the name (schema.table, or "
                        + "database.schema.table for another database) or remove the entry");
    }
}
