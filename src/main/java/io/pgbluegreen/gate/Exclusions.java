package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.DatabaseContents;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.UserTable;

import java.util.ArrayList;
import java.util.List;

/**
 * The deployment's exclude-tables entries held against what blue has. Excluding a partitioned table excludes its
 * partitions (they hold its rows). The checks report what they skipped, so an exclusion is never silent.
 */
final class Exclusions {
    private final List<TableExclusions.Entry> entries;
    private final String watchedDatabase;

    Exclusions(List<TableExclusions.Entry> entries, String watchedDatabase) {
        this.entries = entries;
        this.watchedDatabase = watchedDatabase;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether {@code table} of {@code database} (null: the watched one), or a table it is a partition of, is excluded. */
    boolean excludes(String database, TableTree tree, UserTable table) {
        if (entries.isEmpty()) {
            return false;
        }
        List<UserTable> chain = new ArrayList<>(List.of(table));
        tree.ancestors(table.qualified()).stream().map(tree::get).filter(t -> t != null).forEach(chain::add);
        return chain.stream().anyMatch(t -> entries.stream().anyMatch(e -> matches(e, database, t)));
    }

    private boolean matches(TableExclusions.Entry entry, String database, UserTable table) {
        String entryDatabase = entry.database() == null || entry.database().equals(watchedDatabase) ? null : entry.database();
        String tableDatabase = database == null || database.equals(watchedDatabase) ? null : database;
        return java.util.Objects.equals(entryDatabase, tableDatabase) && entry.schema().equals(table.schema())
                && entry.table().equals(table.name());
    }

    /** Entries that name no table of blue; an entry about a database that could not be read is in neither list. */
    List<String> unmatched(SideFacts blue) {
        List<String> unmatched = new ArrayList<>();
        for (TableExclusions.Entry entry : entries) {
            Boolean found = found(entry, blue);
            if (Boolean.FALSE.equals(found)) {
                unmatched.add(entry.text());
            }
        }
        return unmatched;
    }

    /** Entries about a database of blue that could not be read (or was not read). */
    List<String> undetermined(SideFacts blue) {
        return entries.stream().filter(e -> found(e, blue) == null).map(TableExclusions.Entry::text).toList();
    }

    /** True or false, or null when the entry's database could not be read. */
    private Boolean found(TableExclusions.Entry entry, SideFacts blue) {
        if (entry.database() == null || entry.database().equals(watchedDatabase)) {
            return blue.userTables().stream().anyMatch(t -> matches(entry, null, t));
        }
        if (blue.otherDatabases() == null) {
            return null;
        }
        for (DatabaseContents db : blue.otherDatabases()) {
            if (db.database().equals(entry.database())) {
                return db.readable() ? db.tables().stream().anyMatch(t -> matches(entry, db.database(), t)) : null;
            }
        }
        return false; // no such database, or one that accepts no connections
    }
}
