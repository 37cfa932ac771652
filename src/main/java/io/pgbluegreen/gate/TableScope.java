package io.pgbluegreen.gate;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.gate.facts.PublishedTable;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the table checks of one evaluation share: both sides' facts, the subscription green follows (logical), blue's
 * tables as a partition tree and the deployment's exclusions.
 */
final class TableScope {
    /** The cutover's marker table: it creates and publishes it itself (any other table in pgbg is the user's). */
    private static final String MARKER = "pgbg.cutover_marker";

    final GateInput in;
    @Nullable final SideFacts blue;
    @Nullable final SideFacts green;
    @Nullable final SubscriptionInfo subscription;
    @Nullable final TableTree tables;
    final Exclusions exclusions;

    private TableScope(GateInput in, SubscriptionInfo subscription) {
        this.in = in;
        this.blue = in.blueFacts();
        this.green = in.greenFacts();
        this.subscription = subscription;
        this.tables = blue == null ? null : new TableTree(blue.userTables());
        this.exclusions = new Exclusions(TableExclusions.of(in.deployment().excludeTables()),
                blue == null ? null : blue.databases().current());
    }

    static TableScope of(GateInput in, @Nullable SubscriptionInfo subscription) {
        return new TableScope(in, subscription);
    }

    String subscriptionName() {
        return in.deployment().subscription();
    }

    /** Why a check that needs blue (and green, and the subscription) cannot judge; null when it can. */
    String missing(boolean needsGreen, boolean needsSubscription) {
        if (blue == null) {
            return "cannot read blue: " + in.blueFactsError();
        }
        if (needsGreen && green == null) {
            return "cannot read green: " + in.greenFactsError();
        }
        if (needsSubscription && subscription == null) {
            return "green has no subscription " + subscriptionName() + " in this database (see publication_and_subscription_exist)";
        }
        return null;
    }

    /** The (publication, table) pairs blue sends to the subscription, without our own schema. */
    List<PublishedTable> published() {
        return blue.publishedTables().stream()
                .filter(t -> subscription.publications().contains(t.publication()))
                .filter(t -> !t.table().equals(MARKER))
                .toList();
    }

    Set<String> publishedNames() {
        Set<String> names = new TreeSet<>();
        published().forEach(t -> names.add(t.table()));
        return names;
    }

    /** Whether the table, or a partitioned table it belongs to, is among {@code published}. */
    boolean covered(String table, Set<String> published) {
        return published.contains(table) || tables.ancestors(table).stream().anyMatch(published::contains);
    }
}
