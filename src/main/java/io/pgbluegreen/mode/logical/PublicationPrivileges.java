package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.MissingPrivilege;

import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;

import java.util.List;

/**
 * prepare_marker on blue adds the marker table to the subscription's first publication (ALTER PUBLICATION ... ADD
 * TABLE, which takes the publication's owner), unless one of its publications publishes it already or that one
 * publishes all tables.
 */
final class PublicationPrivileges {
    private PublicationPrivileges() {
    }

    static void add(List<MissingPrivilege> out, SideFacts blue, SubscriptionInfo subscription) {
        if (blue.role().superuser() || subscription == null || subscription.publications().isEmpty()) {
            return;
        }
        var publications = blue.publications();
        if (subscription.publications().stream().anyMatch(publications.withMarker()::contains)) {
            return;
        }
        String first = subscription.publications().get(0);
        if (!publications.names().contains(first) || publications.forAllTables().contains(first)
                || publications.ours().contains(first)) {
            return;
        }
        out.add(new MissingPrivilege("ownership of publication " + first,
                "prepare_marker: ALTER PUBLICATION ... ADD TABLE pgbg.cutover_marker, as it does not publish all tables",
                "ALTER PUBLICATION " + MissingPrivilege.ident(first) + " OWNER TO " + blue.role().roleIdent()));
    }
}
