package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.ClusterSubscription;
import io.pgbluegreen.gate.facts.PublicationSettings;
import io.pgbluegreen.gate.facts.SubscribedTable;
import io.pgbluegreen.gate.facts.SubscriptionInfo;
import io.pgbluegreen.gate.facts.UserTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every table that holds data reaches green, or the gate refuses. Per table it holds what blue has against what the
 * publications send and what green's subscription applies: a table published but never refreshed on green, one in
 * no publication, publications that leave operations, rows or columns out, data logical replication does not carry
 * at all, and other subscriptions that would keep writing into green. Exclusions (exclude-tables) are reported,
 * never hidden.
 */
public final class TableCoverageChecks {
    private TableCoverageChecks() {
    }

    public static void addLogical(List<CheckResult> out, GateInput in, SubscriptionInfo subscription) {
        TableScope scope = TableScope.of(in, subscription);
        out.add(tablesSubscribed(scope));
        out.add(tablesPublished(scope));
        out.add(PublicationContentChecks.sendsEverything(scope));
        out.add(PublicationContentChecks.noFilters(scope));
        out.add(LeftBehindChecks.tablesLogged(scope, false));
        out.add(LeftBehindChecks.noLargeObjects(scope));
        out.add(LeftBehindChecks.otherDatabasesEmpty(scope));
        out.add(greenNoOtherSubscriptions(scope));
        if (!scope.exclusions.isEmpty()) {
            out.add(LeftBehindChecks.excludedTablesExist(scope));
        }
    }

    /** A promoted standby has every unlogged table empty, in every database. */
    public static void addPhysical(List<CheckResult> out, GateInput in) {
        TableScope scope = TableScope.of(in, null);
        out.add(LeftBehindChecks.tablesLogged(scope, true));
        if (!scope.exclusions.isEmpty()) {
            out.add(LeftBehindChecks.excludedTablesExist(scope));
        }
    }

    /** Green applies every table blue publishes to it: the apply worker skips changes of a table it has no entry for. */
    static CheckResult tablesSubscribed(TableScope s) {
        String name = "tables_subscribed";
        String missing = s.missing(true, true);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        Set<String> published = s.publishedNames();
        Map<String, SubscribedTable> applied = s.green.subscribedTables().stream()
                .filter(t -> t.subscription().equals(s.subscriptionName()))
                .collect(Collectors.toMap(SubscribedTable::table, Function.identity(), (a, b) -> a));
        Set<String> onGreen = s.green.userTables().stream().map(UserTable::qualified).collect(Collectors.toSet());
        List<String> notApplied = new ArrayList<>();
        Set<String> excluded = new TreeSet<>();
        boolean unsubscribed = false;
        int required = 0;
        for (String table : published) {
            if (s.tables.ancestors(table).stream().anyMatch(published::contains)) {
                continue; // green applies it through the partitioned table that is published (publish_via_partition_root)
            }
            UserTable blueTable = s.tables.get(table);
            if (blueTable != null && s.exclusions.excludes(null, s.tables, blueTable)) {
                excluded.add(table);
                continue;
            }
            required++;
            SubscribedTable entry = applied.get(table);
            if (entry == null) {
                unsubscribed = true;
                notApplied.add(table + (onGreen.contains(table) ? " (not subscribed)" : " (not subscribed, missing on green)"));
            } else if (!entry.ready()) {
                notApplied.add(table + " (" + entry.stateName() + ")");
            }
        }
        String sub = s.subscriptionName();
        String advice = unsubscribed
                ? "create any missing table on green, then run ALTER SUBSCRIPTION " + sub
                        + " REFRESH PUBLICATION on green (it copies their rows) and wait until they are ready"
                : "wait until their initial copy is done (tables_ready shows the progress)";
        return CheckResult.of(name, notApplied.isEmpty(),
                notApplied.isEmpty() ? required + " ready" : notApplied.size() + " of " + required + " not applied",
                "every published table ready in green's pg_subscription_rel",
                "green's subscription " + sub + " applies all " + required + " table(s) blue publishes to it"
                        + TableNames.excludedNote(excluded),
                "green's subscription " + sub + " does not apply " + notApplied.size() + " table(s) blue publishes to it, "
                        + "whose changes would not reach green: " + TableNames.listed(notApplied) + "; " + advice
                        + TableNames.excludedNote(excluded));
    }

    /** Every table of blue's database is in a publication the subscription follows (partitions through an ancestor). */
    static CheckResult tablesPublished(TableScope s) {
        String name = "tables_published";
        String missing = s.missing(false, true);
        if (missing != null) {
            return CheckResult.unknown(name, missing);
        }
        Set<String> published = s.publishedNames();
        List<String> unpublished = new ArrayList<>();
        Set<String> excluded = new TreeSet<>();
        int covered = 0;
        for (UserTable table : s.tables.tables()) {
            // a partitioned table holds no rows itself: it is covered when all its partitions are;
            // unlogged tables cannot be published at all (tables_logged names them)
            if (table.partitioned() || table.unlogged()) {
                continue;
            }
            if (s.covered(table.qualified(), published)) {
                covered++;
            } else if (s.exclusions.excludes(null, s.tables, table)) {
                excluded.add(table.qualified());
            } else {
                unpublished.add(s.tables.describe(table));
            }
        }
        int considered = covered + unpublished.size();
        List<String> allTables = s.blue.publicationSettings().stream()
                .filter(p -> p.allTables() && s.subscription.publications().contains(p.name()))
                .map(PublicationSettings::name).toList();
        String publications = String.join(", ", s.subscription.publications());
        String first = s.subscription.publications().isEmpty() ? "<publication>" : s.subscription.publications().get(0);
        return CheckResult.of(name, unpublished.isEmpty(),
                unpublished.isEmpty() ? considered + " published" : unpublished.size() + " of " + considered + " unpublished",
                "every table in a publication of " + s.subscriptionName(),
                (allTables.isEmpty() ? "all " + considered + " table(s) of blue's database are published by " + publications
                        : "publication " + String.join(", ", allTables) + " is FOR ALL TABLES") + TableNames.excludedNote(excluded),
                unpublished.size() + " table(s) of blue are in no publication subscription " + s.subscriptionName()
                        + " follows (" + publications + "), so their rows would stay behind: " + TableNames.listed(unpublished)
                        + "; add them (ALTER PUBLICATION " + first + " ADD TABLE ...), then ALTER SUBSCRIPTION "
                        + s.subscriptionName() + " REFRESH PUBLICATION on green; or list them in exclude-tables if "
                        + "leaving them behind is meant" + TableNames.excludedNote(excluded));
    }

    /** pg_subscription is shared by all databases: an enabled subscription anywhere on green keeps writing after the switch. */
    static CheckResult greenNoOtherSubscriptions(TableScope s) {
        String name = "green_no_other_subscriptions";
        if (s.green == null) {
            return CheckResult.unknown(name, "cannot read green: " + s.in.greenFactsError());
        }
        String ownDatabase = s.green.databases().current();
        List<String> others = new ArrayList<>();
        for (ClusterSubscription sub : s.green.clusterSubscriptions()) {
            boolean ours = sub.name().equals(s.subscriptionName()) && sub.database().equals(ownDatabase);
            if (sub.enabled() && !ours) {
                others.add(sub.name() + " (database " + sub.database() + ")");
            }
        }
        return CheckResult.of(name, others.isEmpty(), others.isEmpty() ? "none" : TableNames.listed(others),
                "no enabled subscription but " + s.subscriptionName(),
                "green has no other enabled subscription",
                "green has " + others.size() + " other enabled subscription(s) that would keep writing into it after the "
                        + "switch: " + TableNames.listed(others) + "; disable them (ALTER SUBSCRIPTION ... DISABLE, in "
                        + "their database) or drop them");
    }
}
