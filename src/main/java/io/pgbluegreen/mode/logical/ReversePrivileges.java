package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.MissingPrivilege;

import io.pgbluegreen.gate.facts.PublishedTable;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reverse replication (set_up_reverse, enable_reverse, a rollback's stop_reverse), measured on 16 and 17: green
 * publishes all tables (only a superuser may CREATE PUBLICATION ... FOR ALL TABLES: an existing one is used), gets a
 * logical slot that blue streams from as the daemon's role (REPLICATION); blue subscribes (superuser before 16;
 * then pg_create_subscription and CREATE on the database), and its apply worker, owned by the daemon's role and run
 * as it when that is no superuser, writes green's changes into blue's tables.
 */
final class ReversePrivileges {
    private ReversePrivileges() {
    }

    static void blue(List<MissingPrivilege> out, SideFacts blue, SubscriptionInfo subscription) {
        if (blue.role().superuser()) {
            return;
        }
        String me = blue.role().roleIdent();
        if (blue.role().major() < 16) {
            out.add(new MissingPrivilege("superuser", "set_up_reverse: CREATE SUBSCRIPTION on blue, which before"
                    + " PostgreSQL 16 only a superuser may", "ALTER ROLE " + me + " SUPERUSER on blue, or reverse-replication: false"));
            return;
        }
        if (!blue.role().createSubscription()) {
            out.add(new MissingPrivilege("privileges of pg_create_subscription", "set_up_reverse: CREATE SUBSCRIPTION on blue",
                    "GRANT pg_create_subscription TO " + me));
        }
        if (!blue.databaseAccess().create()) {
            out.add(new MissingPrivilege("CREATE on database " + blue.databaseAccess().database(),
                    "set_up_reverse: CREATE SUBSCRIPTION on blue", "GRANT CREATE ON DATABASE " + blue.databaseAccess().database() + " TO " + me));
        }
        Set<String> written = new TreeSet<>(blue.tableAccess().notWritable());
        if (subscription != null) {
            written.retainAll(blue.publishedTables().stream().filter(t -> subscription.publications().contains(t.publication()))
                    .map(PublishedTable::table).toList());
        }
        if (!written.isEmpty()) {
            out.add(new MissingPrivilege(SubscriptionPrivileges.APPLY + " on table(s) " + MissingPrivilege.names(written),
                    "enable_reverse: blue's reverse subscription writes green's changes into them as " + me + ", with run_as_owner = true",
                    "GRANT " + SubscriptionPrivileges.APPLY + " ON " + MissingPrivilege.names(written) + " TO " + me));
        }
    }

    static void green(List<MissingPrivilege> out, SideFacts green) {
        if (green.role().superuser()) {
            return;
        }
        String me = green.role().roleIdent();
        if (!green.role().replication()) {
            out.add(new MissingPrivilege("REPLICATION", "set_up_reverse: pg_create_logical_replication_slot on green, which blue"
                    + " streams from as this role and a rollback drops", "ALTER ROLE " + me + " REPLICATION"));
        }
        String publication = SetUpReverseStep.PUBLICATION;
        if (!green.publications().forAllTables().contains(publication)) {
            boolean exists = green.publications().names().contains(publication);
            out.add(new MissingPrivilege("publication " + publication + " FOR ALL TABLES",
                    "set_up_reverse publishes every table of green through it, and only a superuser may create one",
                    (exists ? "DROP PUBLICATION " + publication + ", then " : "") + "CREATE PUBLICATION " + publication
                            + " FOR ALL TABLES (as a superuser, in database " + green.databaseAccess().database() + ")"));
        }
    }
}
