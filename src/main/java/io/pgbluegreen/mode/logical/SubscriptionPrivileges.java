package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.MissingPrivilege;

import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;

import java.util.List;

/**
 * The steps alter the subscription on green (prepare_marker: REFRESH PUBLICATION and synchronous_commit;
 * stop_subscription: DISABLE; an abort or rollback: ENABLE), which takes its owner. A subscription can be given to a
 * role that is no superuser from PostgreSQL 16 on (measured: before, only to a superuser); then its apply worker
 * writes as that role (run_as_owner = true: SELECT, INSERT, UPDATE, DELETE, TRUNCATE on each table) or switches to
 * each table's owner (SET ROLE to it), and only a superuser may alter it while password_required is false.
 */
final class SubscriptionPrivileges {
    static final String APPLY = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE";

    private SubscriptionPrivileges() {
    }

    static void add(List<MissingPrivilege> out, SideFacts green, SubscriptionInfo subscription) {
        if (green.role().superuser() || subscription == null) {
            return;
        }
        String me = green.role().roleIdent();
        String name = MissingPrivilege.ident(subscription.name());
        if (!subscription.ownedByCurrentUser()) {
            String why = "prepare_marker, stop_subscription: ALTER SUBSCRIPTION REFRESH, SET, DISABLE, ENABLE";
            out.add(green.role().major() >= 16
                    ? new MissingPrivilege("ownership of subscription " + subscription.name() + " (owned by "
                    + subscription.owner() + ")", why, "ALTER SUBSCRIPTION " + name + " OWNER TO " + me
                    + " (as a superuser, once its apply worker may write as " + me + ")")
                    : new MissingPrivilege("ownership of subscription " + subscription.name() + " (owned by "
                    + subscription.owner() + ")", why + ", and before PostgreSQL 16 only a superuser can be given a subscription",
                    "ALTER ROLE " + me + " SUPERUSER on green, or a green of PostgreSQL 16 or later"));
            return;
        }
        if (green.role().major() >= 16 && !subscription.passwordRequired()) {
            out.add(new MissingPrivilege("password_required = true on subscription " + subscription.name(),
                    "prepare_marker, stop_subscription: only a superuser may alter a subscription that requires no password",
                    "ALTER SUBSCRIPTION " + name + " SET (password_required = true), as a superuser, with a password in its"
                            + " connection string"));
        }
        List<String> denied = subscription.applyDenied();
        if (denied.isEmpty()) {
            return;
        }
        String tables = MissingPrivilege.names(denied);
        if (subscription.runAsOwner()) {
            out.add(new MissingPrivilege(APPLY + " on table(s) " + tables,
                    "the apply worker of " + subscription.name() + " writes them as its owner, with run_as_owner = true",
                    "GRANT " + APPLY + " ON " + tables + " TO " + me));
        } else {
            List<String> cannotWrite = subscription.ownerCannotWrite();
            out.add(new MissingPrivilege("SET ROLE to the owner(s) of table(s) " + tables,
                    "the apply worker of " + subscription.name() + " switches to each table's owner, with run_as_owner = false",
                    "ALTER SUBSCRIPTION " + name + " SET (run_as_owner = true)" + (cannotWrite.isEmpty() ? ""
                            : " and GRANT " + APPLY + " ON " + MissingPrivilege.names(cannotWrite) + " TO " + me)));
        }
    }
}
