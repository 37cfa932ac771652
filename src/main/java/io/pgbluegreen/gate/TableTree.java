package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.UserTable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user tables of one database, by quoted name, with their partition ancestry: a publication that sends a
 * partitioned table covers its partitions, so coverage is decided along that chain.
 */
final class TableTree {
    private final Map<String, UserTable> byName = new LinkedHashMap<>();

    TableTree(List<UserTable> tables) {
        tables.forEach(t -> byName.put(t.qualified(), t));
    }

    Collection<UserTable> tables() {
        return byName.values();
    }

    UserTable get(String qualified) {
        return byName.get(qualified);
    }

    /** The table's ancestors, parent first; empty for a table that is no partition. */
    List<String> ancestors(String qualified) {
        List<String> chain = new ArrayList<>();
        UserTable table = byName.get(qualified);
        // bounded by the table count: the catalog cannot hold a cycle, but a half-read one must not loop
        while (table != null && table.parent() != null && chain.size() < byName.size()) {
            chain.add(table.parent());
            table = byName.get(table.parent());
        }
        return chain;
    }

    /** "public.m2025 (partition of public.measurements)" for a partition, else the name alone. */
    String describe(UserTable table) {
        List<String> chain = ancestors(table.qualified());
        return chain.isEmpty() ? table.qualified() : table.qualified() + " (partition of " + chain.get(chain.size() - 1) + ")";
    }
}
