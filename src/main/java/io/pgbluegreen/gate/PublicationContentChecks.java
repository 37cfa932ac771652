package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.PublicationSettings;
import io.pgbluegreen.gate.facts.PublishedTable;
import io.pgbluegreen.gate.facts.PublishedTableFilter;
import io.pgbluegreen.gate.facts.UserTable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A publication can send a table and still hold part of it back: whole operations, rows (WHERE) or columns. */
final class PublicationContentChecks {
    private PublicationContentChecks() {
    }

    /** publish must include insert, update, delete and truncate: green would otherwise keep rows blue changed or dropped. */
    static CheckResult sendsEverything(TableScope s) {
        String name = "publication_sends_everything";
        String missing = s.missing(false, true);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        List<String> partial = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (PublicationSettings publication : s.blue.publicationSettings()) {
            if (!s.subscription.publications().contains(publication.name())) {
                continue; // a publication missing on blue is publication_and_subscription_exist's
            }
            List<String> left = publication.missingOperations();
            if (!left.isEmpty()) {
                partial.add(publication.name() + " leaves out " + String.join(", ", left));
                fixes.add("ALTER PUBLICATION " + publication.name() + " SET (publish = 'insert, update, delete, truncate')");
            }
        }
        return CheckResult.of(name, partial.isEmpty(), partial.isEmpty() ? "insert, update, delete, truncate" : String.join("; ", partial),
                "insert, update, delete, truncate",
                "every publication of " + s.subscriptionName() + " sends inserts, updates, deletes and truncates",
                "blue's publications do not send every change, so green's rows would differ from blue's: "
                        + String.join("; ", partial) + "; run " + String.join("; ", fixes)
                        + " (changes already held back are not on green: compare the tables)");
    }

    /**
     * No row filter or column list (15+) keeps rows or columns of a published table from green. Several publications
     * of one subscription combine: a table is filtered only when every publication sending it filters it, and a
     * column is held back only when none of them sends it.
     */
    static CheckResult noFilters(TableScope s) {
        String name = "publication_no_filters";
        String missing = s.missing(false, true);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        Map<String, Set<String>> publicationsOf = new TreeMap<>();
        for (PublishedTable pair : s.published()) {
            publicationsOf.computeIfAbsent(pair.table(), t -> new TreeSet<>()).add(pair.publication());
        }
        Map<String, PublishedTableFilter> filters = new TreeMap<>();
        s.blue.publishedTableFilters().forEach(f -> filters.put(f.publication() + "\u0000" + f.table(), f));
        List<String> partial = new ArrayList<>();
        Set<String> excluded = new TreeSet<>();
        publicationsOf.forEach((table, publications) -> {
            List<String> rowFilters = new ArrayList<>();
            Set<String> hidden = null;
            for (String publication : publications) {
                PublishedTableFilter filter = filters.get(publication + "\u0000" + table);
                if (filter == null || filter.rowFilter() == null) {
                    rowFilters = null;
                } else if (rowFilters != null) {
                    rowFilters.add(filter.rowFilter());
                }
                Set<String> heldBack = new LinkedHashSet<>(filter == null ? List.of() : filter.hiddenColumns());
                if (hidden == null) {
                    hidden = heldBack;
                } else {
                    hidden.retainAll(heldBack);
                }
            }
            List<String> what = new ArrayList<>();
            if (rowFilters != null && !rowFilters.isEmpty()) {
                what.add("row filter " + String.join(" OR ", rowFilters));
            }
            if (hidden != null && !hidden.isEmpty()) {
                what.add("columns not sent: " + String.join(", ", hidden));
            }
            if (what.isEmpty()) {
                return;
            }
            UserTable blueTable = s.tables.get(table);
            if (blueTable != null && s.exclusions.excludes(null, s.tables, blueTable)) {
                excluded.add(table);
            } else {
                partial.add(table + " (" + String.join("; ", what) + ")");
            }
        });
        return CheckResult.of(name, partial.isEmpty(), partial.isEmpty() ? "none" : partial.size() + " table(s) filtered",
                "no row filter or column list",
                "blue's publications send whole tables to " + s.subscriptionName() + TableNames.excludedNote(excluded),
                partial.size() + " published table(s) reach green only in part: " + TableNames.listed(partial)
                        + "; publish them whole (ALTER PUBLICATION ... SET TABLE without WHERE or column list), then copy "
                        + "them to green again: rows and values held back so far are not there" + TableNames.excludedNote(excluded));
    }
}
