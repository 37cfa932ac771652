package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.FenceChecks;
import io.pgbluegreen.gate.FencePrivileges;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.gate.MissingPrivilege;
import io.pgbluegreen.gate.facts.SideFacts;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subscriber's gate. On blue: the marker, the publication, the sequences it copies, and with reverse replication
 * blue's subscription to green (and setting the sequences back in a rollback). On green: the subscription the steps
 * alter, the marker, setting the sequences, green's side of reverse replication, and what a rollback needs to fence
 * and audit green.
 */
final class LogicalGate {
    static void addChecks(List<CheckResult> out, GateInput in) {
        FenceChecks.add(out, in);
        LogicalChecks.add(out, in);
    }

    static void bluePrivileges(List<MissingPrivilege> out, GateInput in, SideFacts blue) {
        FencePrivileges.fenceAndAudit(out, blue);
        boolean reverse = in.deployment().reverse();
        MarkerPrivileges.add(out, blue);
        PublicationPrivileges.add(out, blue, in.subscriptionInfo());
        SequencePrivileges.add(out, blue, blue.sequences().names(), reverse, reverse
                ? "sync_sequences: reading each value, and a rollback's setval of green's" : "sync_sequences: reading each value");
        if (reverse) {
            ReversePrivileges.blue(out, blue, in.subscriptionInfo());
        }
    }

    static void greenPrivileges(List<MissingPrivilege> out, GateInput in, SideFacts green) {
        SubscriptionPrivileges.add(out, green, in.subscriptionInfo());
        MarkerPrivileges.add(out, green);
        Set<String> copied = new TreeSet<>(in.blueFacts() == null ? green.sequences().names() : in.blueFacts().sequences().names());
        copied.retainAll(green.sequences().names());
        SequencePrivileges.add(out, green, copied, true, "sync_sequences: setval and reading the value back");
        FencePrivileges.add(out, green.role(), green.databaseAccess(), "a rollback's fence_green");
        FencePrivileges.unreachableRoles(out, green.role(), green.roles(), "a rollback's fence_green");
        FencePrivileges.connect(out, green.role(), green.databaseAccess(), "a rollback's audit_green");
        if (in.deployment().reverse()) {
            ReversePrivileges.green(out, green);
        }
    }
}
