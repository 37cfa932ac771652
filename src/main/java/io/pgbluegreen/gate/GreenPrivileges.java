package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.gate.facts.SideFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the daemon's role on green needs for the steps this deployment will run there. Physical: pg_promote, and the
 * fence's privileges (promote gives the fenced roles their logins back, catch_up ends the standby's sessions, a
 * rollback fences green; a standby has blue's roles and grants, so these mostly mirror blue's). Logical: the
 * subscription the steps alter, the marker, setting the sequences, with reverse replication green's side of it,
 * and what a rollback needs to fence and audit green.
 */
final class GreenPrivileges {
    private GreenPrivileges() {
    }

    static List<MissingPrivilege> missing(GateInput in) {
        List<MissingPrivilege> out = new ArrayList<>();
        SideFacts green = in.greenFacts();
        if (green == null || green.role().superuser()) {
            return out;
        }
        if (in.deployment().deploymentMode() != DeploymentMode.LOGICAL) {
            if (!green.role().promote()) {
                out.add(new MissingPrivilege("EXECUTE on pg_promote()", "promote: pg_promote()",
                        "GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer) TO " + green.role().roleIdent()
                                + " (in database " + green.databaseAccess().database() + ")"));
            }
            FencePrivileges.add(out, green.role(), green.databaseAccess(), "promote, catch_up, a rollback's fence_green");
            FencePrivileges.connect(out, green.role(), green.databaseAccess(), "a rollback's audit_green");
            return out;
        }
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
        return out;
    }
}
